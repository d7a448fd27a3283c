//! How far to shrink image pages so a file fits the size limit: as little as the limit
//! requires, never below the minimum resolution unless nothing else fits (and then the
//! caller says so). Pure decisions, so they are tested without pixels: [`Search`] proposes a
//! scale, the caller encodes at it and reports the real bytes, and the search corrects.
//!
//! A size model alone cannot land close under a limit: how fast JPEG bytes fall with the
//! pixel count depends on the content (paper grain and noise average out when downsampled,
//! so a noisy scan loses bytes faster than a clean one) and on the quality step. So the
//! model is per page, `bytes ≈ c × scale^k`, started from a guess and refitted from every
//! measurement (two measurements give `k`), and every proposal stays inside the bracket the
//! measurements have established: the largest scale known to fit and the smallest known
//! not to. A file lands within [`ACCEPT`] of its limit in two to four encodes as a rule,
//! [`MAX_TRIES`] at most.

/// An image page as the decision sees it: its JPEG bytes now and its resolution on A4.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub bytes: u64,
    pub dpi: f32,
}

/// The starting guess: re-encoded JPEG bytes grow more slowly than the pixel count falls
/// (finer detail per pixel after downsampling), bytes ≈ bytes₀ × scale^1.6 on clean scans.
const SIZE_EXPONENT: f64 = 1.6;
/// The first try aims this far below the limit, when the model is still a guess.
const FIRST_AIM: f64 = 0.92;
/// Later tries aim here, with a model fitted to measurements.
const AIM: f64 = 0.96;
/// A fitting result at least this share of the limit is close enough.
pub const ACCEPT: f64 = 0.88;
/// Encodes of the whole set at most, floor included; the best fitting one is kept.
pub const MAX_TRIES: usize = 6;
/// The smallest scale the search goes to when it may go below the minimum resolution.
const LOWEST: f32 = 0.05;
/// Pages re-encoded to fit a limit are kept at most at this resolution on A4: once a page
/// must be re-encoded anyway, 300 dpi is what a scanner's document setting writes and more
/// than any upload preview shows, while a 600-dpi page re-encoded whole costs four times
/// the decoding, encoding and memory for detail nobody reads. Below it, only as far as
/// the limit needs.
pub const MAX_SHRUNK_DPI: f32 = 300.0;

/// One page's size model: bytes ≈ c × scale^k, with the measurements behind it.
#[derive(Debug, Clone)]
struct PageModel {
    c: f64,
    k: f64,
    /// (scale, bytes) measured, newest last.
    seen: Vec<(f32, u64)>,
}

impl PageModel {
    fn bytes(&self, scale: f32) -> f64 {
        self.c * f64::from(scale).powf(self.k)
    }

    fn record(&mut self, scale: f32, bytes: u64) {
        self.seen.retain(|(s, _)| (s - scale).abs() > 1e-4);
        self.seen.push((scale, bytes));
        let (s1, b1) = self.seen[self.seen.len() - 1];
        if let Some(&(s0, b0)) = self.seen.iter().rev().nth(1) {
            let (ls, lb) = (
                (f64::from(s1) / f64::from(s0)).ln(),
                (b1 as f64 / b0.max(1) as f64).ln(),
            );
            if ls.abs() > 1e-3 && lb.is_finite() {
                self.k = (lb / ls).clamp(0.5, 4.0);
            }
        }
        self.c = b1.max(1) as f64 / f64::from(s1).powf(self.k);
    }
}

/// The search for one set of pages sharing a budget: [`Search::next`] proposes every
/// page's scale, [`Search::record`] takes the bytes they encoded to.
#[derive(Debug, Clone)]
pub struct Search {
    dpi: Vec<f32>,
    /// No page goes above this resolution (None: up to its own).
    max_dpi: Option<f32>,
    models: Vec<PageModel>,
    budget: u64,
    min_dpi: f32,
    below_minimum: bool,
    /// Largest common scale known to fit, and its per-page scales and total.
    fits: Option<(f32, u64)>,
    /// Smallest common scale known not to fit.
    over: Option<f32>,
    tries: usize,
}

/// What the search says after a measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// The set at this common scale is the answer.
    Take(f32),
    /// Try again at [`Search::next`].
    Again,
    /// Nothing at or above the floor fits.
    Impossible,
}

impl Search {
    /// A search for `pages` within `budget` bytes, each page floored at `min_dpi` (pages
    /// already below it are left as they are) unless `below_minimum`, and kept at most at
    /// `max_dpi` when given ([`MAX_SHRUNK_DPI`] once shrinking is needed).
    pub fn new(
        pages: &[Candidate],
        budget: u64,
        min_dpi: f32,
        max_dpi: Option<f32>,
        below_minimum: bool,
    ) -> Search {
        Search {
            dpi: pages.iter().map(|p| p.dpi).collect(),
            max_dpi,
            models: pages
                .iter()
                .map(|p| PageModel {
                    c: p.bytes as f64,
                    k: SIZE_EXPONENT,
                    seen: Vec::new(),
                })
                .collect(),
            budget,
            min_dpi,
            below_minimum,
            fits: None,
            over: None,
            tries: 0,
        }
    }

    /// The scale of each page at common scale `s`: at most 1 (or what `max_dpi` allows), at
    /// least its floor.
    pub fn page_scales(&self, s: f32) -> Vec<f32> {
        self.dpi
            .iter()
            .map(|&dpi| self.page_scale(s, dpi))
            .collect()
    }

    fn page_scale(&self, s: f32, dpi: f32) -> f32 {
        let floor = if self.below_minimum {
            LOWEST
        } else {
            (self.min_dpi / dpi).min(1.0)
        };
        let ceiling = self.max_dpi.map_or(1.0, |max| (max / dpi).min(1.0));
        s.min(ceiling).max(floor.min(ceiling))
    }

    fn floor(&self) -> f32 {
        if self.below_minimum {
            LOWEST
        } else {
            0.0
        }
    }

    fn estimate(&self, s: f32) -> f64 {
        (self.models.iter().zip(&self.dpi))
            .map(|(m, &dpi)| m.bytes(self.page_scale(s, dpi)))
            .sum()
    }

    /// The common scale to encode at next.
    pub fn next(&self) -> f32 {
        let aim = self.budget as f64 * if self.tries == 0 { FIRST_AIM } else { AIM };
        let (lo, hi) = (
            self.fits.map_or(self.floor(), |(s, _)| s),
            self.over.unwrap_or(1.0),
        );
        // Untried and the model says the set fits whole: try it whole.
        if self.over.is_none() && self.estimate(1.0) <= self.budget as f64 {
            return 1.0;
        }
        // The last try, with nothing fitting yet: the floor.
        if self.fits.is_none() && self.tries + 1 >= MAX_TRIES {
            return self.floor();
        }
        // The model's answer by bisection on the model, then kept strictly inside the
        // measured bracket (a wrong model cannot make the search go round in circles).
        let (mut a, mut b) = (self.floor(), 1.0f32);
        for _ in 0..40 {
            let mid = (a + b) / 2.0;
            if self.estimate(mid) <= aim {
                a = mid;
            } else {
                b = mid;
            }
        }
        let inside = lo + (hi - lo) * 0.05..=hi - (hi - lo) * 0.05;
        if self.tries == 0 || inside.contains(&a) {
            a
        } else {
            (lo + hi) / 2.0
        }
    }

    /// Takes the bytes each page encoded to at common scale `s` (page scales as
    /// [`Search::page_scales`] gave them).
    pub fn record(&mut self, s: f32, bytes: &[u64]) -> Verdict {
        self.tries += 1;
        let scales = self.page_scales(s);
        for ((model, &scale), &b) in self.models.iter_mut().zip(&scales).zip(bytes) {
            model.record(scale, b);
        }
        let total: u64 = bytes.iter().sum();
        let at_floor = scales
            .iter()
            .zip(&self.dpi)
            .all(|(&scale, &dpi)| scale <= self.page_scale(0.0, dpi) + 1e-6);
        if total <= self.budget {
            if self.fits.is_none_or(|(f, _)| s > f) {
                self.fits = Some((s, total));
            }
            let ceilings = self.page_scales(1.0);
            let whole = scales.iter().zip(&ceilings).all(|(x, c)| x >= c);
            if whole || total as f64 >= ACCEPT * self.budget as f64 {
                return Verdict::Take(s);
            }
        } else {
            if self.over.is_none_or(|o| s < o) {
                self.over = Some(s);
            }
            if at_floor {
                return Verdict::Impossible;
            }
        }
        let narrow = match (self.fits, self.over) {
            (Some((lo, _)), Some(hi)) => hi - lo < 0.004,
            _ => false,
        };
        match self.fits {
            Some((best, _)) if narrow || self.tries >= MAX_TRIES => Verdict::Take(best),
            // Out of tries without a fit: `next` proposes the floor, which decides.
            None if self.tries > MAX_TRIES => Verdict::Impossible,
            _ => Verdict::Again,
        }
    }
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

    /// Runs a search against a made-up encoder: page `i` encodes to `bytes(i, scale)`.
    /// Returns the chosen page scales, the total and the number of encodes.
    fn run(
        pages: &[Candidate],
        budget: u64,
        below: bool,
        bytes: impl Fn(usize, f32) -> u64,
    ) -> Option<(Vec<f32>, u64, usize)> {
        let mut search = Search::new(pages, budget, 150.0, None, below);
        let mut encodes = 0;
        loop {
            let s = search.next();
            let scales = search.page_scales(s);
            let sizes: Vec<u64> = scales
                .iter()
                .enumerate()
                .map(|(i, &x)| bytes(i, x))
                .collect();
            encodes += 1;
            assert!(encodes <= MAX_TRIES + 1, "the search goes on");
            match search.record(s, &sizes) {
                Verdict::Take(best) => {
                    let scales = search.page_scales(best);
                    let total = scales.iter().enumerate().map(|(i, &x)| bytes(i, x)).sum();
                    return Some((scales, total, encodes));
                }
                Verdict::Impossible => return None,
                Verdict::Again => {}
            }
        }
    }

    #[test]
    fn pages_that_fit_are_left_alone() {
        let pages = [Candidate {
            bytes: MB,
            dpi: 300.0,
        }; 3];
        let (scales, _, encodes) =
            run(&pages, 5 * MB, false, |_, s| (MB as f32 * 0.8 * s) as u64).unwrap();
        assert_eq!(scales, [1.0, 1.0, 1.0]);
        assert_eq!(encodes, 1);
    }

    #[test]
    fn ten_600_dpi_pages_shrink_only_as_far_as_5_mb_needs() {
        let pages = [Candidate {
            bytes: 3_500_000,
            dpi: 600.0,
        }; 10];
        // Encodes as the guess says (exponent 1.6): the first try lands.
        let (scales, total, encodes) = run(&pages, 5 * MB, false, |_, s| {
            (3_500_000.0 * f64::from(s).powf(1.6)) as u64
        })
        .unwrap();
        assert!(
            total <= 5 * MB && total as f64 > 5.0 * MB as f64 * 0.9,
            "{total}"
        );
        assert_eq!(encodes, 1);
        // About 174 dpi: above the 150-dpi floor, which is not needed here.
        assert!(
            scales[0] * 600.0 > 160.0 && scales[0] * 600.0 < 190.0,
            "{}",
            scales[0] * 600.0
        );
    }

    #[test]
    fn a_noisy_page_whose_bytes_fall_fast_still_lands_close_under_the_limit() {
        // The test scan of `tests/it/inspect_files.rs`: 1.4 MB at 300 dpi, bytes falling with
        // the cube of the scale, and a quality step (0.55) below scale 1.
        let pages = [Candidate {
            bytes: 1_400_000,
            dpi: 300.0,
        }];
        let bytes = |_: usize, s: f32| {
            let q = if s < 1.0 { 0.55 } else { 0.8 };
            (1_400_000.0 * q * f64::from(s).powi(3)) as u64
        };
        let (scales, total, encodes) = run(&pages, 400_000, false, bytes).unwrap();
        assert!(
            total <= 400_000 && total as f64 >= 400_000.0 * ACCEPT,
            "{total} after {encodes}"
        );
        assert!(encodes <= 4, "{encodes} encodes");
        assert!(scales[0] >= 0.5, "{scales:?}");
    }

    #[test]
    fn a_page_whose_bytes_fall_slowly_shrinks_further_after_measuring() {
        let pages = [Candidate {
            bytes: 8 * MB,
            dpi: 600.0,
        }];
        let bytes = |_: usize, s: f32| (8.0 * MB as f64 * f64::from(s).powf(1.1)) as u64;
        let (scales, total, encodes) = run(&pages, 5 * MB, false, bytes).unwrap();
        assert!(
            total <= 5 * MB && total as f64 >= 5.0 * MB as f64 * ACCEPT,
            "{total}"
        );
        assert!(encodes <= MAX_TRIES);
        assert!(scales[0] < 0.7, "{scales:?}");
    }

    #[test]
    fn the_floor_holds_unless_going_below_is_allowed() {
        let pages = [Candidate {
            bytes: 40 * MB,
            dpi: 300.0,
        }];
        let bytes = |_: usize, s: f32| (40.0 * MB as f64 * f64::from(s).powi(2)) as u64;
        assert!(
            run(&pages, 5 * MB, false, bytes).is_none(),
            "10 MB at the floor"
        );
        let (scales, total, _) = run(&pages, 5 * MB, true, bytes).unwrap();
        assert!(scales[0] < 0.5 && scales[0] > 0.2, "{scales:?}");
        assert!(total <= 5 * MB);
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
        let sizes = [8.0 * MB as f64, MB as f64];
        let (scales, total, _) = run(&pages, 5 * MB, false, |i, s| {
            (sizes[i] * f64::from(s).powf(1.6)) as u64
        })
        .unwrap();
        assert_eq!(scales[1], 1.0);
        assert!(scales[0] < 1.0);
        assert!(total <= 5 * MB);
    }

    #[test]
    fn pages_re_encoded_to_fit_stay_at_most_at_300_dpi() {
        // A smooth 600-dpi scan: at quality 80 it would fit almost whole.
        let pages = [Candidate {
            bytes: 3_300_000,
            dpi: 600.0,
        }; 10];
        let bytes = |_: usize, s: f32| (400_000.0 * f64::from(s).powi(2)) as u64;
        let mut search = Search::new(&pages, 5 * MB, 150.0, Some(MAX_SHRUNK_DPI), false);
        let mut tried = Vec::new();
        let taken = loop {
            let s = search.next();
            let scales = search.page_scales(s);
            assert!(scales.iter().all(|&x| x <= 0.5), "{scales:?}");
            tried.push(scales[0]);
            let sizes: Vec<u64> = scales.iter().map(|&x| bytes(0, x)).collect();
            match search.record(s, &sizes) {
                Verdict::Take(s) => break search.page_scales(s),
                Verdict::Again => assert!(tried.len() <= MAX_TRIES, "{tried:?}"),
                Verdict::Impossible => panic!("{tried:?}"),
            }
        };
        // 1 MB at 300 dpi: taken at the ceiling though far under the limit.
        assert_eq!(taken, [0.5; 10], "{tried:?}");
    }

    #[test]
    fn a_whole_set_that_overshoots_at_full_size_is_shrunk() {
        // The model says it fits at 1.0 (re-encoding a turned page), the encode says not.
        let pages = [Candidate {
            bytes: 4 * MB,
            dpi: 300.0,
        }];
        let bytes = |_: usize, s: f32| (6.0 * MB as f64 * f64::from(s).powi(2)) as u64;
        let (scales, total, _) = run(&pages, 5 * MB, false, bytes).unwrap();
        assert!(scales[0] < 1.0 && total <= 5 * MB, "{scales:?} {total}");
        assert_eq!(scaled_size(4960, 7016, 0.5), (2480, 3508));
    }
}
