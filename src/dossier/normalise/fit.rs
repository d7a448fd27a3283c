//! How far to shrink image pages so a file fits the size limit: as little as the limit
//! requires, never below the minimum resolution unless nothing else fits (and then the
//! caller says so). Pure decisions, so they are tested without pixels.

/// An image page as the decision sees it: its JPEG bytes now and its resolution on A4.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub bytes: u64,
    pub dpi: f32,
}

/// Re-encoded JPEG bytes grow more slowly than the pixel count falls (finer detail per pixel
/// after downsampling): bytes ≈ bytes₀ × scale^1.6 on document scans.
const SIZE_EXPONENT: f32 = 1.6;
/// Aim below the limit so one estimate usually suffices.
const MARGIN: f64 = 0.92;

/// The scale (≤ 1) of each page so that the estimated total fits `budget`. `calibration`
/// multiplies every estimate (measured bytes over estimated, from an earlier try). Pages are
/// scaled alike, each floored at `min_dpi` (pages already below it are left), unless
/// `below_minimum` allows going under it.
pub fn scales(
    pages: &[Candidate],
    budget: u64,
    min_dpi: f32,
    calibration: f64,
    below_minimum: bool,
) -> Vec<f32> {
    let floor = |page: &Candidate| {
        if below_minimum {
            0.05
        } else {
            (min_dpi / page.dpi).min(1.0)
        }
    };
    let estimate = |s: f32| -> f64 {
        pages
            .iter()
            .map(|p| p.bytes as f64 * f64::from(s.max(floor(p)).powf(SIZE_EXPONENT)) * calibration)
            .sum()
    };
    let target = budget as f64 * MARGIN;
    if estimate(1.0) <= budget as f64 && calibration <= 1.0 {
        return vec![1.0; pages.len()];
    }
    let (mut lo, mut hi) = (0.0f32, 1.0f32);
    for _ in 0..32 {
        let mid = (lo + hi) / 2.0;
        if estimate(mid) <= target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    pages.iter().map(|p| lo.max(floor(p)).min(1.0)).collect()
}

/// The pixel size of a page scaled by `scale`, at least 1×1. Sides round up (less a hair for
/// float error), so a page scaled to the dpi floor never lands a fraction below it.
pub fn scaled_size(width: u32, height: u32, scale: f32) -> (u32, u32) {
    let side = |v: u32| ((f64::from(v) * f64::from(scale) - 1e-3).ceil() as u32).max(1);
    (side(width), side(height))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1024 * 1024;

    #[test]
    fn pages_that_fit_are_left_alone() {
        let pages = [Candidate {
            bytes: MB,
            dpi: 300.0,
        }; 3];
        assert_eq!(scales(&pages, 5 * MB, 150.0, 1.0, false), [1.0, 1.0, 1.0]);
    }

    #[test]
    fn ten_600_dpi_pages_shrink_only_as_far_as_5_mb_needs() {
        let pages = [Candidate {
            bytes: 3_500_000,
            dpi: 600.0,
        }; 10];
        let s = scales(&pages, 5 * MB, 150.0, 1.0, false);
        let estimate: f64 = s
            .iter()
            .map(|&s| 3_500_000.0 * f64::from(s.powf(1.6)))
            .sum();
        assert!(estimate <= 5.0 * MB as f64 * 0.92 && estimate > 5.0 * MB as f64 * 0.9);
        // About 174 dpi: above the 150-dpi floor, which is not needed here.
        assert!(
            s[0] * 600.0 > 160.0 && s[0] * 600.0 < 190.0,
            "{}",
            s[0] * 600.0
        );
    }

    #[test]
    fn the_floor_holds_unless_going_below_is_allowed() {
        let pages = [Candidate {
            bytes: 40 * MB,
            dpi: 300.0,
        }];
        assert_eq!(scales(&pages, 5 * MB, 150.0, 1.0, false), [0.5]);
        let below = scales(&pages, 5 * MB, 150.0, 1.0, true)[0];
        assert!(below < 0.5 && below > 0.2, "{below}");
    }

    #[test]
    fn a_low_resolution_page_is_never_shrunk_to_save_another() {
        let pages = [
            Candidate {
                bytes: 8 * MB,
                dpi: 600.0,
            },
            Candidate {
                bytes: MB,
                dpi: 120.0,
            },
        ];
        let s = scales(&pages, 5 * MB, 150.0, 1.0, false);
        assert_eq!(s[1], 1.0);
        assert!(s[0] < 1.0);
    }

    #[test]
    fn a_measured_overshoot_shrinks_further() {
        let pages = [Candidate {
            bytes: 8 * MB,
            dpi: 600.0,
        }];
        let first = scales(&pages, 5 * MB, 150.0, 1.0, false)[0];
        let second = scales(&pages, 5 * MB, 150.0, 1.3, false)[0];
        assert!(second < first);
        assert_eq!(scaled_size(4960, 7016, 0.5), (2480, 3508));
    }
}
