//! Grayscale images written as PNG, for image figures (filters, denoised images).

use ndarray::ArrayView2;

/// Encodes `pixels` (values in [0, 1], 0 black and 1 white; values outside
/// are clamped) as an 8-bit grayscale PNG, each pixel drawn as a `scale` x
/// `scale` block.
pub fn grayscale_png(pixels: ArrayView2<f64>, scale: usize) -> Vec<u8> {
    let scale = scale.max(1);
    let (rows, cols) = pixels.dim();
    let (w, h) = (cols * scale, rows * scale);
    let mut data = Vec::with_capacity(w * h);
    for r in 0..h {
        for c in 0..w {
            let v = pixels[(r / scale, c / scale)];
            let v = if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) };
            data.push((v * 255.0).round() as u8);
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w as u32, h as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("PNG header to memory");
        writer.write_image_data(&data).expect("PNG data to memory");
    }
    out
}
