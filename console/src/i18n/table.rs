//! The shape of a string table: one field per string, so a language missing one does not
//! compile.

use encore_core::admin::audit::AuditAction;
use encore_core::admin::queue::HoldSignal;
use encore_core::admin::role::{Role, Scope};

/// Every string the console shows.
#[derive(Debug)]
pub struct Strings {
    /// The language's own name, for the switch.
    pub language_name: &'static str,
    /// The console's title.
    pub app_title: &'static str,
    /// The skip link's text.
    pub skip_to_content: &'static str,
    /// The main navigation's name.
    pub nav_label: &'static str,
    /// Navigation: the queue.
    pub nav_reviews: &'static str,
    /// Navigation: the rules.
    pub nav_rules: &'static str,
    /// Navigation: the audit log.
    pub nav_audit: &'static str,
    /// Navigation: users.
    pub nav_users: &'static str,
    /// Navigation: keys.
    pub nav_keys: &'static str,
    /// The sign-out button.
    pub sign_out: &'static str,
    /// The language switch's label.
    pub language_label: &'static str,
    /// Who is signed in: `{email}`, `{role}`.
    pub signed_in_as: &'static str,
    /// Role names: owner, moderator, viewer.
    pub roles: [&'static str; 3],
    /// While a page loads.
    pub loading: &'static str,
    /// A page could not load.
    pub load_failed: &'static str,
    /// Retry button.
    pub retry: &'static str,
    /// A page the role may not open.
    pub not_allowed: &'static str,
    /// The server could not be reached.
    pub network_error: &'static str,
    /// The server refused a change: `{why}`.
    pub action_failed: &'static str,
    /// Cancel.
    pub cancel: &'static str,
    /// Confirm.
    pub confirm: &'static str,
    /// Save.
    pub save: &'static str,
    /// Copy to the clipboard.
    pub copy: &'static str,
    /// Copied.
    pub copied: &'static str,
    /// Previous page.
    pub prev_page: &'static str,
    /// Next page.
    pub next_page: &'static str,
    /// Page `{n}`.
    pub page_n: &'static str,
    /// Any value (a filter left open).
    pub any: &'static str,
    /// Yes.
    pub yes: &'static str,
    /// No.
    pub no: &'static str,

    /// Sign-in page heading.
    pub sign_in_title: &'static str,
    /// The store field.
    pub store_label: &'static str,
    /// The e-mail field.
    pub email_label: &'static str,
    /// The password field.
    pub password_label: &'static str,
    /// The sign-in button.
    pub sign_in_button: &'static str,
    /// 401 `sign_in_failed`.
    pub sign_in_failed: &'static str,
    /// 429 `locked`: `{minutes}`.
    pub locked: &'static str,
    /// Welcome page heading.
    pub welcome_title: &'static str,
    /// Welcome page lead.
    pub welcome_intro: &'static str,
    /// New password field.
    pub new_password_label: &'static str,
    /// Set password button.
    pub set_password_button: &'static str,
    /// Password too short.
    pub pw_too_short: &'static str,
    /// Password too long.
    pub pw_too_long: &'static str,
    /// Password only spaces.
    pub pw_blank: &'static str,
    /// 410 `link_expired`.
    pub link_expired: &'static str,
    /// After setting the password.
    pub password_set: &'static str,

    /// Queue heading.
    pub reviews_title: &'static str,
    /// The tab list's name.
    pub tabs_label: &'static str,
    /// Tab names: pending, published, rejected.
    pub tabs: [&'static str; 3],
    /// A tab's accessible name: `{label}`, `{count}`.
    pub tab_name: &'static str,
    /// Filters group.
    pub filters_label: &'static str,
    /// Rating filter.
    pub filter_rating: &'static str,
    /// Product filter.
    pub filter_product: &'static str,
    /// Verified filter.
    pub filter_verified: &'static str,
    /// Photos filter.
    pub filter_photos: &'static str,
    /// From date.
    pub filter_from: &'static str,
    /// To date.
    pub filter_to: &'static str,
    /// Text search.
    pub filter_search: &'static str,
    /// Apply filters.
    pub apply_filters: &'static str,
    /// Clear filters.
    pub clear_filters: &'static str,
    /// No review under the filters.
    pub empty_queue: &'static str,
    /// The list's name.
    pub list_label: &'static str,
    /// Select all on the page.
    pub select_all: &'static str,
    /// Select one review: `{title}`.
    pub select_review: &'static str,
    /// How many are selected: `{n}`.
    pub selected_count: &'static str,
    /// Approve.
    pub approve: &'static str,
    /// Reject.
    pub reject: &'static str,
    /// Bulk approve button.
    pub bulk_approve: &'static str,
    /// Bulk reject button.
    pub bulk_reject: &'static str,
    /// Bulk approve question: `{n}`.
    pub confirm_bulk_approve: &'static str,
    /// Bulk reject question: `{n}`.
    pub confirm_bulk_reject: &'static str,
    /// Single reject question.
    pub reject_title: &'static str,
    /// Reject reason field.
    pub reject_reason: &'static str,
    /// Stars as words: `{n}`.
    pub stars: &'static str,
    /// The reviewer: `{name}`.
    pub by_name: &'static str,
    /// The product: `{product}`.
    pub product_is: &'static str,
    /// The reviewer's language: `{locale}`.
    pub locale_is: &'static str,
    /// Verified by an order token: `{order}`.
    pub verified_order: &'static str,
    /// An order without a valid token: `{order}`.
    pub unproven_order: &'static str,
    /// No order.
    pub no_order: &'static str,
    /// Held because (followed by signals).
    pub held_because: &'static str,
    /// Signals: fast, link, photos, rating.
    pub signals: [&'static str; 4],
    /// Incentive badge.
    pub incentive: &'static str,
    /// Photos heading.
    pub photos_label: &'static str,
    /// A photo's alt text: `{n}`.
    pub photo_alt: &'static str,
    /// Hide a photo.
    pub hide_photo: &'static str,
    /// Restore a photo.
    pub restore_photo: &'static str,
    /// A hidden photo's badge.
    pub photo_hidden: &'static str,
    /// Store reply heading.
    pub reply_label: &'static str,
    /// Write a reply.
    pub write_reply: &'static str,
    /// Edit the reply.
    pub edit_reply: &'static str,
    /// Remove the reply.
    pub remove_reply: &'static str,
    /// Save the reply.
    pub save_reply: &'static str,
    /// Rejected with a reason: `{reason}`.
    pub rejected_because: &'static str,
    /// Answers heading.
    pub answers_label: &'static str,
    /// The keyboard help line.
    pub keyboard_help: &'static str,
    /// Announced: approved.
    pub announce_approved: &'static str,
    /// Announced: rejected.
    pub announce_rejected: &'static str,
    /// Announced: `{n}` approved.
    pub announce_bulk_approved: &'static str,
    /// Announced: `{n}` rejected.
    pub announce_bulk_rejected: &'static str,
    /// Announced: reply saved.
    pub announce_reply_saved: &'static str,
    /// Announced: photo hidden.
    pub announce_photo_hidden: &'static str,
    /// Announced: photo restored.
    pub announce_photo_restored: &'static str,

    /// Rules heading.
    pub rules_title: &'static str,
    /// Verified minimum.
    pub verified_min: &'static str,
    /// Unverified minimum.
    pub unverified_min: &'static str,
    /// Hold every such review.
    pub hold_all: &'static str,
    /// At least `{n}` stars.
    pub at_least_stars: &'static str,
    /// Hold reviews with photos.
    pub hold_with_photos: &'static str,
    /// Hold reviews with links.
    pub hold_links: &'static str,
    /// Hold fast reviews (seconds).
    pub hold_fast: &'static str,
    /// Rules saved.
    pub rules_saved: &'static str,
    /// Read-only notice.
    pub rules_read_only: &'static str,

    /// Audit heading.
    pub audit_title: &'static str,
    /// Action column and filter.
    pub audit_action: &'static str,
    /// Actor column and filter.
    pub audit_actor: &'static str,
    /// Target column and filter.
    pub audit_target: &'static str,
    /// When column.
    pub audit_when: &'static str,
    /// Address column.
    pub audit_address: &'static str,
    /// Before column.
    pub audit_before: &'static str,
    /// After column.
    pub audit_after: &'static str,
    /// No entries.
    pub audit_empty: &'static str,
    /// Action names, in the order of `AuditAction::ALL`.
    pub audit_actions: [&'static str; 14],

    /// Users heading.
    pub users_title: &'static str,
    /// Invite heading.
    pub invite_title: &'static str,
    /// Role field.
    pub role_label: &'static str,
    /// Invite button.
    pub invite_button: &'static str,
    /// The one-time link's caption.
    pub invitation_link: &'static str,
    /// Disable a user.
    pub disable: &'static str,
    /// User states: invited, active, disabled.
    pub user_states: [&'static str; 3],
    /// State column.
    pub state_label: &'static str,
    /// Last sign-in column.
    pub last_sign_in: &'static str,
    /// Never signed in.
    pub never: &'static str,
    /// A bad e-mail.
    pub bad_email: &'static str,
    /// Keys heading.
    pub keys_title: &'static str,
    /// New key heading.
    pub new_key_title: &'static str,
    /// Key label field.
    pub key_label: &'static str,
    /// Scopes field.
    pub scopes_label: &'static str,
    /// Scope descriptions: reviews:read, reviews:write, settings:write.
    pub scopes: [&'static str; 3],
    /// Create a key.
    pub create_key: &'static str,
    /// Pick at least one scope.
    pub no_scope: &'static str,
    /// The secret, shown once.
    pub secret_once: &'static str,
    /// Revoke a key.
    pub revoke: &'static str,
    /// Revoked at: `{date}`.
    pub revoked_at: &'static str,
    /// Created column.
    pub created_label: &'static str,
    /// Key id column.
    pub key_id: &'static str,
}

/// Tables are compared by identity: there is one per language.
impl PartialEq for Strings {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Strings {
    /// A role's name.
    pub fn role(&self, role: Role) -> &'static str {
        self.roles[Role::ALL.iter().position(|r| *r == role).unwrap_or(0)]
    }

    /// A hold signal in words.
    pub fn signal(&self, signal: HoldSignal) -> &'static str {
        self.signals[HoldSignal::ALL
            .iter()
            .position(|s| *s == signal)
            .unwrap_or(0)]
    }

    /// An audit action's name.
    pub fn audit(&self, action: AuditAction) -> &'static str {
        self.audit_actions[AuditAction::ALL
            .iter()
            .position(|a| *a == action)
            .unwrap_or(0)]
    }

    /// A scope's description.
    pub fn scope(&self, scope: Scope) -> &'static str {
        self.scopes[Scope::ALL.iter().position(|s| *s == scope).unwrap_or(0)]
    }
}
