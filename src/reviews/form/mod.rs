//! The review form and the review request (`mode="review"`).

use crate::app::WidgetContext;
use encore_core::reviews::FormSpec;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`ReviewForm`].
#[derive(Properties, PartialEq, Clone)]
pub struct ReviewFormProps {
    /// The product reviewed.
    pub product: AttrValue,
    /// Its display name, for the form's heading.
    pub product_name: AttrValue,
    /// How the store wants its form.
    pub form: Rc<FormSpec>,
    /// The order, when the form comes from a review request.
    #[prop_or_default]
    pub order: Option<AttrValue>,
    /// The store's order token, when the form comes from a review request.
    #[prop_or_default]
    pub order_token: Option<AttrValue>,
    /// Called when the shopper closes the form (product page) or it is done.
    #[prop_or_default]
    pub on_close: Option<Callback<()>>,
}

/// The form for one product's review.
#[component]
pub fn ReviewForm(props: &ReviewFormProps) -> Html {
    let _ = props;
    Html::default()
}

/// The whole of `mode="review"`: the order's products, reviewed one after another.
#[component]
pub fn ReviewRequest() -> Html {
    let Some(_ctx) = use_context::<WidgetContext>() else {
        return Html::default();
    };
    Html::default()
}
