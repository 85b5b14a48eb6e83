//! Review photos: which files are accepted (by their bytes, never their name or declared
//! type) and how large the browser makes them before upload.

/// Largest upload the server reads.
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
/// Most pixels in an accepted image (guards the decoder against decompression bombs): 4 MP,
/// above the [`MAX_LONG_SIDE`] square the widget sends (2.56 MP), and no more, since the
/// server shrinks every photo to that size anyway. Decoded, that is 16 MB of RGBA.
pub const MAX_PIXELS: u64 = 4_000_000;
/// Longest side the browser resizes a photo to.
pub const MAX_LONG_SIDE: u32 = 1600;
/// Largest photo the browser uploads after re-encoding.
pub const TARGET_BYTES: usize = 500 * 1024;

/// An image format the server accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP.
    Webp,
}

impl ImageKind {
    /// Its media type.
    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
            ImageKind::Webp => "image/webp",
        }
    }
}

/// Why a photo is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoError {
    /// Empty.
    Empty,
    /// Above [`MAX_UPLOAD_BYTES`].
    TooLarge,
    /// Not JPEG, PNG or WebP by its first bytes (SVG, HTML, GIF, a polyglot's other face...).
    UnsupportedType,
    /// Above [`MAX_PIXELS`], or a zero dimension.
    BadDimensions,
    /// The bytes claim a format but do not decode as it.
    Corrupt,
}

impl std::fmt::Display for PhotoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PhotoError::Empty => "the photo is empty",
            PhotoError::TooLarge => "the photo is larger than 5 MB",
            PhotoError::UnsupportedType => "only JPEG, PNG and WebP photos are accepted",
            PhotoError::BadDimensions => "the photo has more than 4 megapixels",
            PhotoError::Corrupt => "the photo cannot be read",
        })
    }
}

/// The format of `bytes` by its magic number, after the size checks.
pub fn sniff(bytes: &[u8]) -> Result<ImageKind, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(PhotoError::TooLarge);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(ImageKind::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(ImageKind::Png)
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Ok(ImageKind::Webp)
    } else {
        Err(PhotoError::UnsupportedType)
    }
}

/// Whether an image of `width` × `height` may be decoded.
pub fn check_dimensions(width: u32, height: u32) -> Result<(), PhotoError> {
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        Err(PhotoError::BadDimensions)
    } else {
        Ok(())
    }
}

/// The size of an image of `width` × `height` scaled down (never up) so its long side is at
/// most `max_side`, keeping the aspect ratio; each side at least 1.
pub fn fit_within(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= max_side || long == 0 {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled =
            (u64::from(side) * u64::from(max_side) + u64::from(long) / 2) / u64::from(long);
        u32::try_from(scaled).unwrap_or(max_side).max(1)
    };
    (scale(width), scale(height))
}

/// JPEG qualities the browser tries, best first, until a photo fits in [`TARGET_BYTES`].
pub const QUALITY_STEPS: [f64; 4] = [0.85, 0.75, 0.6, 0.45];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_known_by_their_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Ok(ImageKind::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Ok(ImageKind::Png));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Ok(ImageKind::Webp));
        for bad in [
            b"<svg xmlns='http://www.w3.org/2000/svg'/>".as_slice(),
            b"<?xml version='1.0'?><svg/>",
            b"GIF89a....",
            b"<html><script>alert(1)</script>",
            // A "GIFAR"-style polyglot starts as another format: refused by its first bytes.
            b"PK\x03\x04\xFF\xD8\xFF",
            b"RIFF\x10\0\0\0WAVEfmt ",
            b"\xFF\xD8",
        ] {
            assert_eq!(sniff(bad), Err(PhotoError::UnsupportedType));
        }
        assert_eq!(sniff(b""), Err(PhotoError::Empty));
        let mut huge = vec![0u8; MAX_UPLOAD_BYTES + 1];
        huge[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
        assert_eq!(sniff(&huge), Err(PhotoError::TooLarge));
    }

    #[test]
    fn dimensions_are_bounded() {
        assert!(check_dimensions(2000, 2000).is_ok());
        assert_eq!(check_dimensions(2000, 2001), Err(PhotoError::BadDimensions));
        // The review's bomb: 8000 × 5000.
        assert_eq!(check_dimensions(8000, 5000), Err(PhotoError::BadDimensions));
        // Whatever the widget sends fits.
        assert!(check_dimensions(MAX_LONG_SIDE, MAX_LONG_SIDE).is_ok());
        assert_eq!(check_dimensions(0, 10), Err(PhotoError::BadDimensions));
        assert_eq!(
            check_dimensions(u32::MAX, u32::MAX),
            Err(PhotoError::BadDimensions)
        );
    }

    #[test]
    fn photos_shrink_to_the_long_side_keeping_shape() {
        assert_eq!(fit_within(4032, 3024, 1600), (1600, 1200));
        assert_eq!(fit_within(3024, 4032, 1600), (1200, 1600));
        assert_eq!(fit_within(1200, 800, 1600), (1200, 800));
        assert_eq!(fit_within(10_000, 3, 1600), (1600, 1));
        assert_eq!(fit_within(0, 0, 1600), (0, 0));
    }
}
