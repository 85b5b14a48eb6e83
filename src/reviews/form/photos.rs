//! Preparing a review photo in the browser: decode it (`createImageBitmap`), scale it so its
//! long side is at most [`MAX_LONG_SIDE`], and re-encode it as JPEG small enough to upload
//! ([`TARGET_BYTES`]), stepping down the quality, then the size, until it fits.

use encore_core::reviews::photo::{MAX_LONG_SIDE, QUALITY_STEPS, TARGET_BYTES, fit_within};
use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap};

/// The media type photos are re-encoded to.
pub const OUTPUT_TYPE: &str = "image/jpeg";

/// Long sides tried at the lowest quality when even [`MAX_LONG_SIDE`] is too large.
const SMALLER_SIDES: [u32; 3] = [1280, 1024, 800];

/// A photo ready to upload.
#[derive(Debug, Clone)]
pub struct PreparedPhoto {
    /// The JPEG.
    pub blob: Blob,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
}

/// Why a photo could not be prepared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrepareError {
    /// The browser cannot decode the file (HEIC outside Safari, or not an image).
    Unsupported,
    /// Decoded, but drawing or encoding failed, or it cannot be made small enough.
    Failed,
}

/// The (long side, JPEG quality) pairs to try, in order.
pub fn attempts() -> Vec<(u32, f64)> {
    let lowest = QUALITY_STEPS[QUALITY_STEPS.len() - 1];
    QUALITY_STEPS
        .iter()
        .map(|q| (MAX_LONG_SIDE, *q))
        .chain(SMALLER_SIDES.iter().map(|side| (*side, lowest)))
        .collect()
}

/// Decodes, scales and re-encodes `file`.
pub async fn prepare(file: &Blob) -> Result<PreparedPhoto, PrepareError> {
    let window = web_sys::window().ok_or(PrepareError::Failed)?;
    let decoding = window
        .create_image_bitmap_with_blob(file)
        .map_err(|_| PrepareError::Unsupported)?;
    let bitmap: ImageBitmap = JsFuture::from(decoding)
        .await
        .map_err(|_| PrepareError::Unsupported)?
        .dyn_into()
        .map_err(|_| PrepareError::Unsupported)?;
    let result = encode(&bitmap).await;
    bitmap.close();
    result
}

async fn encode(bitmap: &ImageBitmap) -> Result<PreparedPhoto, PrepareError> {
    let (width, height) = (bitmap.width(), bitmap.height());
    if width == 0 || height == 0 {
        return Err(PrepareError::Failed);
    }
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(PrepareError::Failed)?;
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .ok()
        .and_then(|c| c.dyn_into().ok())
        .ok_or(PrepareError::Failed)?;
    let mut drawn = (0, 0);
    for (side, quality) in attempts() {
        let (w, h) = fit_within(width, height, side);
        if (w, h) != drawn {
            draw(&canvas, bitmap, w, h)?;
            drawn = (w, h);
        }
        let blob = to_jpeg(&canvas, quality).await?;
        if blob.size() as usize <= TARGET_BYTES {
            return Ok(PreparedPhoto {
                blob,
                width: w,
                height: h,
            });
        }
    }
    Err(PrepareError::Failed)
}

fn draw(
    canvas: &HtmlCanvasElement,
    bitmap: &ImageBitmap,
    width: u32,
    height: u32,
) -> Result<(), PrepareError> {
    canvas.set_width(width);
    canvas.set_height(height);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or(PrepareError::Failed)?;
    // JPEG has no transparency: a transparent PNG gets a white background, not black.
    context.set_fill_style_str("#ffffff");
    context.fill_rect(0.0, 0.0, f64::from(width), f64::from(height));
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(
            bitmap,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .map_err(|_| PrepareError::Failed)
}

/// `canvas.toBlob("image/jpeg", quality)` as a future.
async fn to_jpeg(canvas: &HtmlCanvasElement, quality: f64) -> Result<Blob, PrepareError> {
    let promise = Promise::new(&mut |resolve, reject| {
        let started = canvas.to_blob_with_type_and_encoder_options(
            &resolve,
            OUTPUT_TYPE,
            &JsValue::from_f64(quality),
        );
        if let Err(err) = started {
            let _ = reject.call1(&JsValue::NULL, &err);
        }
    });
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|b| b.dyn_into::<Blob>().ok())
        .ok_or(PrepareError::Failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_steps_come_first_then_smaller_sides() {
        let list = attempts();
        assert_eq!(list[0], (MAX_LONG_SIDE, QUALITY_STEPS[0]));
        assert_eq!(list.len(), QUALITY_STEPS.len() + SMALLER_SIDES.len());
        assert!(list.windows(2).all(|w| w[1].0 <= w[0].0));
        assert!(list.iter().all(|(side, _)| *side <= MAX_LONG_SIDE));
    }
}
