// Test helper: the host page's own script, which must keep working whatever the widget does.
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('after').dataset.hostScript = 'ran';
  // A host control: each click counts, whether or not the widget loaded.
  const button = document.getElementById('host-button');
  if (button) button.addEventListener('click', () => { button.dataset.clicks = String(Number(button.dataset.clicks || 0) + 1); });
});
