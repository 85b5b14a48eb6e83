//! The audit log page as a pure reducer: the filter shown and the page of entries loaded for
//! it (a page for an older filter is dropped).

use encore_core::admin::audit::{AuditFilter, AuditPage};
use std::rc::Rc;
use yew::Reducible;

/// The audit page's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditView {
    /// The filter shown (from the address).
    pub filter: AuditFilter,
    /// The entries, once loaded.
    pub page: Option<AuditPage>,
    /// The last load's failure, in words.
    pub error: Option<String>,
}

/// What happens to the audit page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditAction {
    /// Load under this filter.
    Load(AuditFilter),
    /// Entries arrived for a filter.
    Loaded(AuditFilter, AuditPage),
    /// The load failed.
    Failed(String),
}

impl Reducible for AuditView {
    type Action = AuditAction;

    fn reduce(self: Rc<Self>, action: AuditAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            AuditAction::Load(filter) => {
                next.filter = filter;
                next.page = None;
                next.error = None;
            }
            AuditAction::Loaded(filter, page) => {
                if filter != next.filter {
                    return self;
                }
                next.page = Some(page);
            }
            AuditAction::Failed(why) => next.error = Some(why),
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_core::admin::audit::AuditAction as Did;

    #[test]
    fn only_the_page_for_the_filter_shown_is_kept() {
        let signed_in = AuditFilter {
            action: Some(Did::SignedIn),
            ..AuditFilter::default()
        };
        let page = AuditPage {
            entries: vec![],
            page: 0,
            has_more: true,
        };
        let mut view = Rc::new(AuditView::default()).reduce(AuditAction::Load(signed_in.clone()));
        let stale = view
            .clone()
            .reduce(AuditAction::Loaded(AuditFilter::default(), page.clone()));
        assert!(Rc::ptr_eq(&stale, &view));
        view = view.reduce(AuditAction::Loaded(signed_in, page.clone()));
        assert_eq!(view.page, Some(page));
        view = view.reduce(AuditAction::Failed("down".into()));
        assert_eq!(view.error.as_deref(), Some("down"));
    }
}
