//! The reveal ceremony: a scratch card (a `<canvas>` cover scratched with pointer events,
//! opening by itself once [`REVEAL_AT`](super::scratch::REVEAL_AT) of it is scratched) or a
//! tap-to-open box, always beside a real "Reveal" button for keyboard and screen readers.
//! The cover is decoration (`aria-hidden`); nothing of the prize is in the page before.

use super::scratch::ScratchGrid;
use super::strings::SurpriseStrings;
use std::f64::consts::TAU;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

/// The canvas's drawing size (CSS scales it to the card's width).
const WIDTH: u32 = 320;
const HEIGHT: u32 = 160;
/// Grid of the scratched fraction: 16 × 8 cells of 20 px.
const COLS: usize = 16;
const ROWS: usize = 8;
/// The scratching finger's radius, in canvas pixels.
const RADIUS: f64 = 22.0;

/// Props of [`Reveal`].
#[derive(Properties, PartialEq)]
pub struct RevealProps {
    /// The words.
    pub strings: &'static SurpriseStrings,
    /// A tap-to-open box instead of the scratch card.
    #[prop_or_default]
    pub gift_box: bool,
    /// Called once the shopper has revealed the prize.
    pub on_reveal: Callback<()>,
}

/// The scratch card or box with its "Reveal" button.
#[component]
pub fn Reveal(props: &RevealProps) -> Html {
    let s = props.strings;
    let reveal = {
        let on_reveal = props.on_reveal.clone();
        Callback::from(move |_: MouseEvent| on_reveal.emit(()))
    };
    let cover = if props.gift_box {
        html! {
            <div class="gift-box" part="gift-box" aria-hidden="true" onclick={reveal.clone()}>
                <span class="gift-lid"></span>
                <span class="gift-body">{ s.box_hint }</span>
            </div>
        }
    } else {
        html! { <ScratchCard hint={s.scratch_hint} on_reveal={props.on_reveal.clone()} /> }
    };
    html! {
        <div class="surprise-reveal" part="reveal">
            <p class="reveal-intro surprise-focus" tabindex="-1">{ s.reveal_intro }</p>
            { cover }
            <button type="button" class="reveal-button" onclick={reveal}>{ s.reveal }</button>
        </div>
    }
}

/// Props of [`ScratchCard`].
#[derive(Properties, PartialEq)]
struct ScratchCardProps {
    hint: &'static str,
    on_reveal: Callback<()>,
}

/// Where a stroke is: the grid, and the last point while a pointer is down.
struct Stroke {
    grid: ScratchGrid,
    last: Option<(f64, f64)>,
    done: bool,
}

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// Paints the cover with its hint.
fn paint(canvas: &HtmlCanvasElement, hint: &str) {
    let Some(ctx) = context(canvas) else {
        return;
    };
    let (w, h) = (f64::from(WIDTH), f64::from(HEIGHT));
    ctx.set_fill_style_str("#a7b0ab");
    ctx.fill_rect(0.0, 0.0, w, h);
    ctx.set_fill_style_str("#ffffff");
    ctx.set_font("600 22px system-ui, sans-serif");
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    let _ = ctx.fill_text(hint, w / 2.0, h / 2.0);
}

/// Clears the cover along a stroke.
fn erase(canvas: &HtmlCanvasElement, from: (f64, f64), to: (f64, f64)) {
    let Some(ctx) = context(canvas) else {
        return;
    };
    let _ = ctx.set_global_composite_operation("destination-out");
    ctx.set_line_width(RADIUS * 2.0);
    ctx.set_line_cap("round");
    ctx.begin_path();
    ctx.move_to(from.0, from.1);
    ctx.line_to(to.0, to.1);
    ctx.stroke();
    let _ = ctx.arc(to.0, to.1, RADIUS, 0.0, TAU);
    ctx.fill();
}

/// A pointer event's position in canvas pixels.
fn position(canvas: &HtmlCanvasElement, event: &PointerEvent) -> Option<(f64, f64)> {
    let rect = canvas.get_bounding_client_rect();
    if rect.width() <= 0.0 || rect.height() <= 0.0 {
        return None;
    }
    let x = (f64::from(event.client_x()) - rect.left()) * f64::from(WIDTH) / rect.width();
    let y = (f64::from(event.client_y()) - rect.top()) * f64::from(HEIGHT) / rect.height();
    Some((x, y))
}

#[component]
fn ScratchCard(props: &ScratchCardProps) -> Html {
    let canvas = use_node_ref();
    let stroke = use_mut_ref(|| Stroke {
        grid: ScratchGrid::new(COLS, ROWS),
        last: None,
        done: false,
    });
    {
        let canvas = canvas.clone();
        let hint = props.hint;
        use_effect_with((), move |_| {
            if let Some(canvas) = canvas.cast::<HtmlCanvasElement>() {
                paint(&canvas, hint);
            }
        });
    }
    let move_to = {
        let canvas = canvas.clone();
        let stroke = stroke.clone();
        let on_reveal = props.on_reveal.clone();
        move |event: &PointerEvent, starting: bool| {
            let Some(el) = canvas.cast::<HtmlCanvasElement>() else {
                return;
            };
            let Some(point) = position(&el, event) else {
                return;
            };
            let open = {
                let mut s = stroke.borrow_mut();
                let from = match (starting, s.last) {
                    (true, _) => point,
                    (false, Some(last)) => last,
                    (false, None) => return,
                };
                erase(&el, from, point);
                let (w, h) = (f64::from(WIDTH), f64::from(HEIGHT));
                s.grid.stroke(from, point, RADIUS, w, h);
                s.last = Some(point);
                let open = s.grid.is_open() && !s.done;
                s.done |= open;
                open
            };
            if open {
                on_reveal.emit(());
            }
        }
    };
    let onpointerdown = {
        let move_to = move_to.clone();
        let canvas = canvas.clone();
        Callback::from(move |e: PointerEvent| {
            e.prevent_default();
            if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            move_to(&e, true);
        })
    };
    let onpointermove = Callback::from(move |e: PointerEvent| move_to(&e, false));
    let lift = {
        let stroke = stroke.clone();
        Callback::from(move |_: PointerEvent| stroke.borrow_mut().last = None)
    };
    html! {
        <div class="scratch-card" part="scratch-card">
            <div class="scratch-under" aria-hidden="true">{ "★" }</div>
            <canvas class="scratch-canvas" ref={canvas} width={WIDTH.to_string()}
                height={HEIGHT.to_string()} aria-hidden="true" {onpointerdown} {onpointermove}
                onpointerup={lift.clone()} onpointercancel={lift.clone()} onpointerleave={lift} />
        </div>
    }
}
