//! Turning an upload into the JPEG that is served: sniff the bytes, check the dimensions from
//! the header before decoding, decode with a memory limit, shrink, and re-encode (which drops
//! EXIF, GPS and every other metadata). CPU-heavy: call it off the async runtime, in a turn of
//! [`super::decode_slots::DecodeSlots`].
//!
//! Memory: the full-size pixels are allocated once, by the decoder, within
//! [`MAX_DECODE_BYTES`]; shrinking reads them straight into the served size, so nothing else
//! is ever as large as the photo (before, a 40 MP PNG was copied to RGBA, again to RGB, and
//! resized through a float buffer: 450 MB for one 155 KB upload).

use encore_core::reviews::photo::{
    ImageKind, MAX_LONG_SIDE, MAX_PIXELS, PhotoError, check_dimensions, fit_within, sniff,
};
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, GenericImageView, ImageFormat, ImageReader, Limits, RgbImage};
use std::io::Cursor;

/// JPEG quality of served photos.
pub const JPEG_QUALITY: u8 = 85;

/// Most bytes one decode may allocate: [`MAX_PIXELS`] of 8-bit RGBA (16 MB), plus 4 MiB for
/// the decoder's own buffers. An image of 16 bits per channel needs twice the bytes per pixel,
/// so it is refused above half the pixels.
pub const MAX_DECODE_BYTES: u64 = MAX_PIXELS * 4 + 4 * 1024 * 1024;

/// A photo ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    /// The re-encoded JPEG.
    pub jpeg: Vec<u8>,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
}

/// Checks, decodes, shrinks and re-encodes `bytes`.
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    let kind = sniff(bytes)?;
    let format = match kind {
        ImageKind::Jpeg => ImageFormat::Jpeg,
        ImageKind::Png => ImageFormat::Png,
        ImageKind::Webp => ImageFormat::WebP,
    };
    let header = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| PhotoError::Corrupt)?;
    if header.format() != Some(format) {
        return Err(PhotoError::UnsupportedType);
    }
    let (width, height) = header.into_dimensions().map_err(|_| PhotoError::Corrupt)?;
    check_dimensions(width, height)?;

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::BadDimensions,
        _ => PhotoError::Corrupt,
    })?;
    encode(&image)
}

/// Shrinks `image` to [`MAX_LONG_SIDE`] and encodes it as a metadata-free JPEG.
///
/// Shrinking averages the source pixels over each target pixel's area, straight from the
/// decoded image into one of the served size: no full-size copy and no float buffer (a
/// triangle filter needed 16 bytes per pixel of the source width times the target height).
pub fn encode(image: &DynamicImage) -> Result<Processed, PhotoError> {
    let (width, height) = fit_within(image.width(), image.height(), MAX_LONG_SIDE);
    let rgb = if (width, height) == image.dimensions() {
        flatten(image)
    } else {
        flatten(&image.thumbnail_exact(width, height))
    };
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&rgb)
        .map_err(|_| PhotoError::Corrupt)?;
    Ok(Processed {
        jpeg,
        width,
        height,
    })
}

/// The image as RGB, transparent parts laid over white (JPEG has no alpha).
fn flatten(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| {
            let c = u16::from(c);
            let a = u16::from(a);
            u8::try_from((c * a + 255 * (255 - a) + 127) / 255).unwrap_or(255)
        };
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, Rgba, RgbaImage};

    #[test]
    fn transparent_png_becomes_a_white_backed_jpeg() {
        let png_image = RgbaImage::from_pixel(40, 20, Rgba([0, 0, 0, 0]));
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(png_image.as_raw(), 40, 20, image::ExtendedColorType::Rgba8)
            .expect("encodes");
        let out = process(&png).expect("accepted");
        assert_eq!((out.width, out.height), (40, 20));
        assert_eq!(sniff(&out.jpeg), Ok(ImageKind::Jpeg));
        let back = image::load_from_memory(&out.jpeg)
            .expect("decodes")
            .to_rgb8();
        assert!(back.pixels().all(|p| p.0.iter().all(|&c| c > 240)));
    }

    #[test]
    fn large_photos_shrink_to_the_long_side() {
        let big = DynamicImage::ImageRgb8(RgbImage::new(3200, 1000));
        let out = encode(&big).expect("encodes");
        assert_eq!((out.width, out.height), (MAX_LONG_SIDE, 500));
    }

    /// A PNG of `width` × `height` all-zero pixels of `color`: small however large it claims.
    fn zero_png(width: u32, height: u32, color: image::ExtendedColorType) -> Vec<u8> {
        let bytes = usize::from(color.bits_per_pixel() / 8) * (width * height) as usize;
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(&vec![0; bytes], width, height, color)
            .expect("encodes");
        png
    }

    #[test]
    fn the_largest_accepted_picture_shrinks_to_the_served_size() {
        // Above what the widget sends (MAX_LONG_SIDE square), and still decoded.
        let side = u32::try_from(MAX_PIXELS.isqrt()).expect("small");
        assert!(side > MAX_LONG_SIDE);
        let out =
            process(&zero_png(side, side, image::ExtendedColorType::Rgba8)).expect("accepted");
        assert_eq!((out.width, out.height), (MAX_LONG_SIDE, MAX_LONG_SIDE));
    }

    #[test]
    fn the_decoder_refuses_to_allocate_past_its_limit() {
        // Within the pixel cap, but 16-bit RGBA: 8 bytes a pixel, twice what the limit allows.
        let side = u32::try_from(MAX_PIXELS.isqrt()).expect("small");
        let deep = zero_png(side, side, image::ExtendedColorType::Rgba16);
        assert!(side as u64 * side as u64 * 8 > MAX_DECODE_BYTES);
        assert_eq!(process(&deep), Err(PhotoError::BadDimensions));
    }

    #[test]
    fn truncated_images_are_corrupt() {
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, 80)
            .encode_image(&RgbImage::new(64, 64))
            .expect("encodes");
        jpeg.truncate(jpeg.len() / 3);
        assert_eq!(process(&jpeg), Err(PhotoError::Corrupt));
    }
}
