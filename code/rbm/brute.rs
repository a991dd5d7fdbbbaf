//! Reference computations by brute force: every (v, h) pair is enumerated and
//! only the definition p(v, h) = e^{-E(v, h)} / Z is used. They are slow
//! (2^{n_v + n_h} energies) and exist to check the fast formulas; each refuses
//! more than [`MAX_BRUTE_FORCE_UNITS`] enumerated units with
//! [`Error::TooLarge`].

use ndarray::{Array2, ArrayView1};

use crate::error::{Error, Result};
use crate::numerics::log_sum_exp;
use crate::rbm::exact::state;
use crate::rbm::model::Rbm;

// ANCHOR: log_joint_table
/// The most units the brute-force routines enumerate at once (2^22 energies,
/// about four million): n_v + n_h for the joint table, the enumerated layer
/// for a conditional or a free energy.
pub const MAX_BRUTE_FORCE_UNITS: usize = 22;

/// Checks that `n` units are few enough to enumerate by brute force.
fn ensure_brute_force(what: &str, n: usize) -> Result<()> {
    if n > MAX_BRUTE_FORCE_UNITS {
        return Err(Error::TooLarge {
            what: what.to_string(),
            value: n as u128,
            limit: MAX_BRUTE_FORCE_UNITS as u128,
        });
    }
    Ok(())
}

/// ln of the unnormalized joint, -E(v, h), for every pair: entry (k, l) is
/// visible state number k and hidden state number l (see [`state`]).
pub fn minus_energy_table(rbm: &Rbm) -> Result<Array2<f64>> {
    let (n_v, n_h) = (rbm.n_v(), rbm.n_h());
    ensure_brute_force("number of units n_v + n_h", n_v.saturating_add(n_h))?;
    let mut table = Array2::zeros((1 << n_v, 1 << n_h));
    for k in 0..1usize << n_v {
        let v = state(k, n_v)?;
        for l in 0..1usize << n_h {
            table[(k, l)] = -rbm.energy(v.view(), state(l, n_h)?.view())?;
        }
    }
    Ok(table)
}

/// ln p(v, h) for every pair, normalized by the brute-force ln Z.
pub fn log_joint_table(rbm: &Rbm) -> Result<Array2<f64>> {
    let table = minus_energy_table(rbm)?;
    let log_z = log_sum_exp(&table.iter().copied().collect::<Vec<f64>>());
    Ok(table.mapv(|t| t - log_z))
}
// ANCHOR_END: log_joint_table

/// ln Z = ln sum over every (v, h) of e^{-E(v, h)}.
pub fn log_z(rbm: &Rbm) -> Result<f64> {
    let table = minus_energy_table(rbm)?;
    Ok(log_sum_exp(&table.iter().copied().collect::<Vec<f64>>()))
}

// ANCHOR: brute_conditional
/// ln p(h | v) for every hidden state h (in state order), from the joint alone:
/// p(h | v) = p(v, h) / p(v) with p(v) = sum_h' p(v, h'). The 1/Z of the joint
/// cancels in the ratio, so only the row of -E(v, .) is needed:
/// ln p(h | v) = -E(v, h) - ln sum_h' e^{-E(v, h')}.
pub fn log_p_h_given_v(rbm: &Rbm, v: ArrayView1<f64>) -> Result<Vec<f64>> {
    let n_h = rbm.n_h();
    ensure_brute_force("number of hidden units", n_h)?;
    let row = (0..1usize << n_h)
        .map(|l| Ok(-rbm.energy(v, state(l, n_h)?.view())?))
        .collect::<Result<Vec<f64>>>()?;
    let log_p_v = log_sum_exp(&row);
    Ok(row.iter().map(|&t| t - log_p_v).collect())
}

/// p(h | v) for every hidden state h (in state order): e^{ln p(h | v)}.
pub fn p_h_given_v(rbm: &Rbm, v: ArrayView1<f64>) -> Result<Vec<f64>> {
    Ok(log_p_h_given_v(rbm, v)?.into_iter().map(f64::exp).collect())
}

/// ln p(v | h) for every visible state v (in state order):
/// -E(v, h) - ln sum_v' e^{-E(v', h)}.
pub fn log_p_v_given_h(rbm: &Rbm, h: ArrayView1<f64>) -> Result<Vec<f64>> {
    let n_v = rbm.n_v();
    ensure_brute_force("number of visible units", n_v)?;
    let column = (0..1usize << n_v)
        .map(|k| Ok(-rbm.energy(state(k, n_v)?.view(), h)?))
        .collect::<Result<Vec<f64>>>()?;
    let log_p_h = log_sum_exp(&column);
    Ok(column.iter().map(|&t| t - log_p_h).collect())
}

/// p(v | h) for every visible state v (in state order): e^{ln p(v | h)}.
pub fn p_v_given_h(rbm: &Rbm, h: ArrayView1<f64>) -> Result<Vec<f64>> {
    Ok(log_p_v_given_h(rbm, h)?.into_iter().map(f64::exp).collect())
}

/// The free energy by brute force: F(v) = -ln sum_h e^{-E(v, h)}.
pub fn free_energy(rbm: &Rbm, v: ArrayView1<f64>) -> Result<f64> {
    let n_h = rbm.n_h();
    ensure_brute_force("number of hidden units", n_h)?;
    let row = (0..1usize << n_h)
        .map(|l| Ok(-rbm.energy(v, state(l, n_h)?.view())?))
        .collect::<Result<Vec<f64>>>()?;
    Ok(-log_sum_exp(&row))
}
// ANCHOR_END: brute_conditional
