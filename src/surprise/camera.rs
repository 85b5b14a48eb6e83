//! The camera for the in-page scanner: asked for only when the shopper presses "Scan the
//! code", read with the browser's `BarcodeDetector` (feature-detected by name, as it is not
//! in every browser nor in web-sys's stable bindings), and always released afterwards.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlVideoElement, MediaStream, MediaStreamConstraints};

/// Why the camera cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CameraError {
    /// The shopper (or a policy) said no.
    Denied,
    /// No camera, no `getUserMedia`, or no `BarcodeDetector` in this browser.
    Unavailable,
}

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &name.into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// A `BarcodeDetector` for QR codes, when the browser has one.
pub fn detector() -> Option<JsValue> {
    let window = web_sys::window()?;
    let class: Function = get(&window, "BarcodeDetector")?.dyn_into().ok()?;
    let options = Object::new();
    let formats = Array::of1(&"qr_code".into());
    Reflect::set(&options, &"formats".into(), &formats).ok()?;
    Reflect::construct(&class, &Array::of1(&options)).ok()
}

/// Whether this browser could scan at all (a detector and `getUserMedia`).
pub fn can_scan() -> bool {
    let devices = web_sys::window().and_then(|w| get(&w.navigator(), "mediaDevices"));
    devices.is_some_and(|d| get(&d, "getUserMedia").is_some())
        && web_sys::window().is_some_and(|w| get(&w, "BarcodeDetector").is_some())
}

/// Asks for the back camera and shows it in `video`.
pub async fn open(video: &HtmlVideoElement) -> Result<MediaStream, CameraError> {
    let window = web_sys::window().ok_or(CameraError::Unavailable)?;
    let devices = window
        .navigator()
        .media_devices()
        .map_err(|_| CameraError::Unavailable)?;
    let constraints = MediaStreamConstraints::new();
    let video_wanted = Object::new();
    let _ = Reflect::set(&video_wanted, &"facingMode".into(), &"environment".into());
    constraints.set_video(&video_wanted);
    constraints.set_audio(&JsValue::FALSE);
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|_| CameraError::Unavailable)?;
    let stream: MediaStream = match JsFuture::from(promise).await {
        Ok(stream) => stream.dyn_into().map_err(|_| CameraError::Unavailable)?,
        Err(err) => {
            let name = get(&err, "name").and_then(|n| n.as_string());
            return Err(match name.as_deref() {
                Some("NotAllowedError" | "SecurityError") => CameraError::Denied,
                _ => CameraError::Unavailable,
            });
        }
    };
    video.set_muted(true);
    let _ = video.set_attribute("playsinline", "");
    video.set_src_object(Some(&stream));
    if let Ok(playing) = video.play() {
        let _ = JsFuture::from(playing).await;
    }
    Ok(stream)
}

/// The text of the first QR code `detector` sees in `video`, if any.
pub async fn detect(detector: &JsValue, video: &HtmlVideoElement) -> Option<String> {
    let detect: Function = get(detector, "detect")?.dyn_into().ok()?;
    let promise: Promise = detect.call1(detector, video).ok()?.dyn_into().ok()?;
    let found: Array = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    found
        .iter()
        .find_map(|code| get(&code, "rawValue").and_then(|v| v.as_string()))
}

/// Turns the camera off.
pub fn close(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
}
