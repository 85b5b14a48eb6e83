//! The product page's reviews: summary with histogram filters, the list, and "write a review".

use crate::app::WidgetContext;
use yew::prelude::*;

/// The reviews section of `mode="product"`.
#[component]
pub fn ProductReviews() -> Html {
    let Some(_ctx) = use_context::<WidgetContext>() else {
        return Html::default();
    };
    Html::default()
}
