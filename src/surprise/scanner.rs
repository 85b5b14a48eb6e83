//! The in-page scanner: a "Scan the code" button that only then asks for the camera, a live
//! preview while `BarcodeDetector` looks for a QR code, and polite words when the camera is
//! refused or the browser cannot scan (the manual entry beside it always works).

use super::camera::{self, CameraError};
use super::codes;
use super::strings::SurpriseStrings;
use gloo_timers::future::TimeoutFuture;
use std::cell::Cell;
use std::rc::Rc;
use web_sys::{HtmlVideoElement, MediaStream};
use yew::prelude::*;

/// How often the preview is searched for a code.
const DETECT_EVERY_MS: u32 = 300;

/// Where the scanner stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Camera {
    Idle,
    Scanning,
    NotOurCode,
    Failed(CameraError),
}

/// Props of [`Scanner`].
#[derive(Properties, PartialEq)]
pub struct ScannerProps {
    /// The words.
    pub strings: &'static SurpriseStrings,
    /// Called with the scanned text once it holds a code.
    pub on_code: Callback<String>,
}

/// The scan button and, while scanning, the camera's preview.
#[component]
pub fn Scanner(props: &ScannerProps) -> Html {
    let s = props.strings;
    let status = use_state(|| Camera::Idle);
    let video = use_node_ref();
    let stream = use_mut_ref(|| None::<MediaStream>);
    // Cleared when scanning stops or the scanner goes away; the detection loop checks it.
    let running = use_mut_ref(|| Rc::new(Cell::new(false)));
    {
        let stream = stream.clone();
        let running = running.clone();
        use_effect_with((), move |_| {
            move || {
                running.borrow().set(false);
                if let Some(stream) = stream.borrow_mut().take() {
                    camera::close(&stream);
                }
            }
        });
    }
    let stop = {
        let (stream, running, status) = (stream.clone(), running.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            running.borrow().set(false);
            if let Some(stream) = stream.borrow_mut().take() {
                camera::close(&stream);
            }
            status.set(Camera::Idle);
        })
    };
    let start = {
        let (stream, running, status) = (stream.clone(), running.clone(), status.clone());
        let (video, on_code) = (video.clone(), props.on_code.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(detector) = camera::detector().filter(|_| camera::can_scan()) else {
                status.set(Camera::Failed(CameraError::Unavailable));
                return;
            };
            let alive = Rc::new(Cell::new(true));
            *running.borrow_mut() = alive.clone();
            status.set(Camera::Scanning);
            let (stream, status, video, on_code) = (
                stream.clone(),
                status.clone(),
                video.clone(),
                on_code.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                // The preview is rendered once the status says scanning.
                TimeoutFuture::new(0).await;
                let Some(element) = video.cast::<HtmlVideoElement>() else {
                    return;
                };
                match camera::open(&element).await {
                    Ok(opened) => {
                        if !alive.get() {
                            camera::close(&opened);
                            return;
                        }
                        *stream.borrow_mut() = Some(opened);
                    }
                    Err(err) => {
                        status.set(Camera::Failed(err));
                        return;
                    }
                }
                while alive.get() {
                    if let Some(text) = camera::detect(&detector, &element).await {
                        if codes::from_scan(&text).is_some() {
                            alive.set(false);
                            if let Some(opened) = stream.borrow_mut().take() {
                                camera::close(&opened);
                            }
                            on_code.emit(text);
                            return;
                        }
                        status.set(Camera::NotOurCode);
                    }
                    TimeoutFuture::new(DETECT_EVERY_MS).await;
                }
            });
        })
    };
    let scanning = matches!(*status, Camera::Scanning | Camera::NotOurCode);
    let message = match *status {
        Camera::Idle => None,
        Camera::Scanning => Some(s.scanning),
        Camera::NotOurCode => Some(s.scan_not_code),
        Camera::Failed(CameraError::Denied) => Some(s.camera_denied),
        Camera::Failed(CameraError::Unavailable) => Some(s.camera_unavailable),
    };
    html! {
        <div class="surprise-scanner" part="scanner">
            if scanning {
                <video class="scanner-preview" ref={video} aria-hidden="true"></video>
                <button type="button" class="scan-stop outline" onclick={stop}>{ s.stop_scan }</button>
            } else {
                <button type="button" class="scan-button" onclick={start}>{ s.scan }</button>
            }
            <p class="scanner-status" role="status">{ message.unwrap_or_default() }</p>
        </div>
    }
}
