// Test helper: the host page's own script, which must keep working whatever the widget does.
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('after').dataset.hostScript = 'ran';
});
