//! How close a block Gibbs chain comes to the exact joint: the total-variation
//! distance between the histogram of the pairs (v, h) it visits and p(v, h).

use ndarray::Array1;

use crate::check::{seeded, uniform};
use crate::error::{ensure_shape, Error, Result};
use crate::rbm::brute::log_joint_table;
use crate::rbm::model::Rbm;

/// Seed of the parameters of [`gibbs_demo_rbm`].
pub const GIBBS_MACHINE_SEED: u64 = 21;
/// Seed of the chain of the Gibbs check and figure.
pub const GIBBS_CHAIN_SEED: u64 = 22;
/// Sweeps discarded at the start, so the chain forgets its fixed first state v = 0.
pub const GIBBS_BURN_IN: usize = 1_000;

/// The small machine of the Gibbs check: 3 visible and 2 hidden units (32 joint
/// states), weights uniform in [-2, 2), biases uniform in [-1, 1).
pub fn gibbs_demo_rbm() -> Rbm {
    let mut rng = seeded(GIBBS_MACHINE_SEED);
    let mut draw = || -> crate::Result<Rbm> {
        Rbm::new(
            uniform(&mut rng, (3, 2), -2.0, 2.0)?,
            uniform(&mut rng, 2, -1.0, 1.0)?,
            uniform(&mut rng, 3, -1.0, 1.0)?,
        )
    };
    // finite bounds, small shapes that match, draws in [-2, 2)
    draw().expect("finite parameters of matching shapes") // cannot fail: constants above
}

// ANCHOR: chain_total_variation
/// The longest chain [`chain_total_variation`] runs, burn-in included: 10^7
/// sweeps, 25 times the chapter's check, a few seconds on a small machine.
pub const MAX_CHAIN_SWEEPS: usize = 10_000_000;

/// Runs a block Gibbs chain of `sampler` from v = 0 and returns, for each
/// number of counted sweeps N in `checkpoints` (ascending), the total-variation
/// distance (1/2) sum_{v,h} |p^_N(v, h) - p(v, h)| between the histogram of
/// the pairs (v, h) after each sweep (the first `burn_in` sweeps not counted)
/// and the exact joint of `target`.
pub fn chain_total_variation(
    sampler: &Rbm,
    target: &Rbm,
    burn_in: usize,
    checkpoints: &[usize],
    seed: u64,
) -> Result<Vec<f64>> {
    let (n_v, n_h) = (target.n_v(), target.n_h());
    ensure_shape("weights of the sampler", &[n_v, n_h], sampler.w().shape())?;
    let mut previous = 0;
    for (i, &n) in checkpoints.iter().enumerate() {
        if n <= previous {
            return Err(Error::BadSize {
                what: format!("checkpoints[{i}]"),
                value: n,
                constraint: format!(
                    "checkpoints must be positive and strictly increasing, and {n} follows {previous}"
                ),
            });
        }
        previous = n;
    }
    let last = checkpoints.last().copied().unwrap_or(0);
    let total = burn_in as u128 + last as u128;
    if total > MAX_CHAIN_SWEEPS as u128 {
        return Err(Error::TooLarge {
            what: "sweeps burn_in + last checkpoint".to_string(),
            value: total,
            limit: MAX_CHAIN_SWEEPS as u128,
        });
    }
    let p = log_joint_table(target)?.mapv(f64::exp);
    let mut counts = vec![0usize; 1 << (n_v + n_h)];
    let mut rng = seeded(seed);
    let mut v = Array1::zeros(n_v);
    let mut h = Array1::zeros(n_h);
    let mut distances = Vec::with_capacity(checkpoints.len());
    let mut counted = 0;
    for &n in checkpoints {
        while counted < n + burn_in {
            // h ~ p(h | v), then v ~ p(v | h): (v, h) is again a draw of p(v, h).
            sampler.gibbs_sweep(&mut v, &mut h, &mut rng)?;
            if counted >= burn_in {
                let k: usize = v.iter().enumerate().map(|(i, &x)| (x as usize) << i).sum();
                let l: usize = h.iter().enumerate().map(|(j, &x)| (x as usize) << j).sum();
                counts[k + (l << n_v)] += 1;
            }
            counted += 1;
        }
        let mut tv = 0.0;
        for ((k, l), &p_kl) in p.indexed_iter() {
            tv += 0.5 * (counts[k + (l << n_v)] as f64 / n as f64 - p_kl).abs();
        }
        distances.push(tv);
    }
    Ok(distances)
}
// ANCHOR_END: chain_total_variation
