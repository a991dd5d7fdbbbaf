//! Bad input returns an error that names the argument: one row per probe
//! case, each of which once panicked, aborted, overflowed or answered wrong.

use ndarray::{array, Array2};
use verified_dl::check::seeded;
use verified_dl::ising::exercises::{icm_in_order, region_flip_diff, Order};
use verified_dl::ising::gibbs::{average, marginals, mpm, Table};
use verified_dl::ising::graphcut::cut_graph;
use verified_dl::ising::grid::{
    configuration, random_quarter, random_spins, MAX_ENUMERATION_PIXELS,
};
use verified_dl::ising::image::{add_noise, test_image};
use verified_dl::ising::maxflow::{Graph, MAX_CAPACITY};
use verified_dl::ising::model::{pairs, MAX_PARAM};
use verified_dl::ising::{icm, map_graph_cut, Params};
use verified_dl::{Error, Result};

/// Which variant an error must be.
#[derive(Debug, Clone, Copy)]
enum Kind {
    BadSize,
    NonFinite,
    BadValue,
    Overflow,
    TooLarge,
    OutOfRange,
    ShapeMismatch,
}

fn is(kind: Kind, e: &Error) -> bool {
    match kind {
        Kind::BadSize => matches!(e, Error::BadSize { .. }),
        Kind::NonFinite => matches!(e, Error::NonFinite { .. }),
        Kind::BadValue => matches!(e, Error::BadValue { .. }),
        Kind::Overflow => matches!(e, Error::Overflow { .. }),
        Kind::TooLarge => matches!(e, Error::TooLarge { .. }),
        Kind::OutOfRange => matches!(e, Error::OutOfRange { .. }),
        Kind::ShapeMismatch => matches!(e, Error::ShapeMismatch { .. }),
    }
}

fn drop_ok<T>(r: Result<T>) -> Result<()> {
    r.map(|_| ())
}

/// A graph whose node 0 has had `cap` added to s -> 0 already.
fn graph_with_source(cap: f64) -> Graph {
    let mut g = Graph::new(1).unwrap();
    g.add_terminal(0, cap, 0.0).unwrap();
    g
}

#[test]
fn every_probe_case_is_an_error_naming_its_argument() {
    let y = array![[1i8, -1], [1, 1]];
    let p = Params::bishop();
    let ones = array![[1i8]];
    let cases: Vec<(&str, Result<()>, Kind, &str)> = vec![
        // a shift past the width of n: was silently wrong in release
        (
            "configuration(9, 8, 0)",
            drop_ok(configuration(9, 8, 0)),
            Kind::TooLarge,
            "rows * cols",
        ),
        (
            "configuration beyond the limit",
            drop_ok(configuration(1, MAX_ENUMERATION_PIXELS + 1, 0)),
            Kind::TooLarge,
            "rows * cols",
        ),
        (
            "configuration(2, 2, 16)",
            drop_ok(configuration(2, 2, 16)),
            Kind::BadSize,
            "n",
        ),
        (
            "configuration(usize::MAX, 2, 0)",
            drop_ok(configuration(usize::MAX, 2, 0)),
            Kind::Overflow,
            "rows * cols",
        ),
        // aborts by allocation: refused before allocating
        (
            "Graph::new(2^40)",
            drop_ok(Graph::new(1 << 40)),
            Kind::TooLarge,
            "n",
        ),
        (
            "Graph::with_capacity(2^40, 0)",
            drop_ok(Graph::with_capacity(1 << 40, 0)),
            Kind::TooLarge,
            "n",
        ),
        (
            "test_image(2^20, 2^20)",
            drop_ok(test_image(1 << 20, 1 << 20)),
            Kind::TooLarge,
            "rows * cols",
        ),
        (
            "test_image(usize::MAX, 3)",
            drop_ok(test_image(usize::MAX, 3)),
            Kind::TooLarge,
            "rows",
        ),
        (
            "random_spins(2^20, 2^20)",
            drop_ok(random_spins(&mut seeded(1), 1 << 20, 1 << 20)),
            Kind::TooLarge,
            "rows * cols",
        ),
        (
            "pairs(usize::MAX, 2)",
            drop_ok(pairs(usize::MAX, 2)),
            Kind::TooLarge,
            "rows",
        ),
        (
            "pairs(2^20, 2^20)",
            drop_ok(pairs(1 << 20, 1 << 20)),
            Kind::TooLarge,
            "rows * cols",
        ),
        // an empty grid with an unshapeable side: ndarray panicked, pairs did not return
        (
            "test_image(0, usize::MAX)",
            drop_ok(test_image(0, usize::MAX)),
            Kind::TooLarge,
            "cols",
        ),
        (
            "random_spins(0, usize::MAX)",
            drop_ok(random_spins(&mut seeded(1), 0, usize::MAX)),
            Kind::TooLarge,
            "cols",
        ),
        (
            "pairs(usize::MAX, 0)",
            drop_ok(pairs(usize::MAX, 0)),
            Kind::TooLarge,
            "rows",
        ),
        // index out of bounds, or a capacity overflow
        (
            "random_quarter(5, 1)",
            drop_ok(random_quarter(&mut seeded(1), 5, 1)),
            Kind::OutOfRange,
            "lo",
        ),
        (
            "Graph::with_capacity(0, usize::MAX)",
            drop_ok(Graph::with_capacity(0, usize::MAX)),
            Kind::Overflow,
            "edges",
        ),
        (
            "Graph::with_capacity(0, 2^40)",
            drop_ok(Graph::with_capacity(0, 1 << 40)),
            Kind::TooLarge,
            "edges",
        ),
        // unvalidated marginals
        (
            "mpm(NaN)",
            drop_ok(mpm(array![[f64::NAN, 0.5], [0.5, 0.5]].view(), y.view())),
            Kind::NonFinite,
            "marginals",
        ),
        (
            "mpm(7.0)",
            drop_ok(mpm(array![[0.5, 0.5], [7.0, 0.5]].view(), y.view())),
            Kind::BadValue,
            "marginals",
        ),
        (
            "mpm(-0.1)",
            drop_ok(mpm(array![[0.5, -0.1], [0.5, 0.5]].view(), y.view())),
            Kind::BadValue,
            "marginals",
        ),
        // parameters whose energies overflow
        (
            "Params::new(beta = 1e308)",
            drop_ok(Params::new(0.0, 1e308, 1.0)),
            Kind::OutOfRange,
            "beta",
        ),
        (
            "Params::new(alpha = -1e308)",
            drop_ok(Params::new(-1e308, 1.0, 1.0)),
            Kind::OutOfRange,
            "alpha",
        ),
        (
            "Params::new(eta = 2 MAX_PARAM)",
            drop_ok(Params::new(0.0, 1.0, 2.0 * MAX_PARAM)),
            Kind::OutOfRange,
            "eta",
        ),
        (
            "Params::new(beta = NaN)",
            drop_ok(Params::new(0.0, f64::NAN, 1.0)),
            Kind::NonFinite,
            "beta",
        ),
        // a huge beta is reported as beta, not as an infinite edge capacity
        (
            "cut_graph(beta = 1e308)",
            drop_ok(cut_graph(Array2::zeros((2, 2)).view(), 1e308)),
            Kind::OutOfRange,
            "beta",
        ),
        (
            "cut_graph(beta = inf)",
            drop_ok(cut_graph(Array2::zeros((2, 2)).view(), f64::INFINITY)),
            Kind::NonFinite,
            "beta",
        ),
        (
            "cut_graph(beta = -0.5)",
            drop_ok(cut_graph(Array2::zeros((2, 2)).view(), -0.5)),
            Kind::BadValue,
            "beta",
        ),
        (
            "cut_graph(c = 1e308)",
            drop_ok(cut_graph(array![[0.0, 1e308]].view(), 1.0)),
            Kind::BadValue,
            "c",
        ),
        (
            "cut_graph(c = NaN)",
            drop_ok(cut_graph(array![[0.0, f64::NAN]].view(), 1.0)),
            Kind::NonFinite,
            "c",
        ),
        // capacities: one too large, or a total that would overflow
        (
            "add_terminal(source = 1e308)",
            Graph::new(1).unwrap().add_terminal(0, 1e308, 0.0),
            Kind::OutOfRange,
            "source",
        ),
        (
            "add_terminal twice to more than MAX_CAPACITY",
            graph_with_source(MAX_CAPACITY).add_terminal(0, MAX_CAPACITY, 0.0),
            Kind::OutOfRange,
            "source",
        ),
        (
            "add_terminal(sink = -1)",
            Graph::new(1).unwrap().add_terminal(0, 0.0, -1.0),
            Kind::BadValue,
            "sink",
        ),
        (
            "add_terminal(i = 3)",
            Graph::new(1).unwrap().add_terminal(3, 1.0, 0.0),
            Kind::BadSize,
            "i",
        ),
        (
            "add_edge(cap = 1e308)",
            Graph::new(2).unwrap().add_edge(0, 1, 1e308, 0.0),
            Kind::OutOfRange,
            "cap",
        ),
        (
            "add_edge(rev_cap = NaN)",
            Graph::new(2).unwrap().add_edge(0, 1, 1.0, f64::NAN),
            Kind::NonFinite,
            "rev_cap",
        ),
        (
            "add_edge(j = 2)",
            Graph::new(2).unwrap().add_edge(0, 2, 1.0, 1.0),
            Kind::BadSize,
            "j",
        ),
        (
            "in_source_set(1)",
            drop_ok(Graph::new(1).unwrap().in_source_set(1)),
            Kind::BadSize,
            "i",
        ),
        // the image a caller passed, named as the caller passed it
        (
            "map_graph_cut(y of 2^30 pixels)",
            drop_ok(map_graph_cut(
                // 2^30 pixels that take one byte: a broadcast view
                ones.broadcast((1 << 15, 1 << 15)).unwrap(),
                &p,
            )),
            Kind::TooLarge,
            "y",
        ),
        (
            "map_graph_cut(empty y)",
            drop_ok(map_graph_cut(Array2::<i8>::ones((0, 3)).view(), &p)),
            Kind::BadSize,
            "y",
        ),
        (
            "icm(max_sweeps = 0)",
            drop_ok(icm(y.view(), &p, 0)),
            Kind::BadSize,
            "max_sweeps",
        ),
        (
            "marginals(samples = 0)",
            drop_ok(marginals(y.view(), y.view(), &p, 0, 0, &mut seeded(1))),
            Kind::BadSize,
            "samples",
        ),
        (
            "average(samples = 0)",
            drop_ok(average(
                &mut y.clone(),
                y.view(),
                &Table::new(&p),
                0,
                &mut seeded(1),
            )),
            Kind::BadSize,
            "samples",
        ),
        (
            "icm_in_order(max_sweeps = 0)",
            drop_ok(icm_in_order(y.view(), &p, Order::Checkerboard, 0)),
            Kind::BadSize,
            "max_sweeps",
        ),
        (
            "icm_in_order(y with a 0)",
            drop_ok(icm_in_order(array![[1i8, 0]].view(), &p, Order::Raster, 5)),
            Kind::BadValue,
            "y",
        ),
        (
            "Order::pixels(rows = usize::MAX, cols = 0)",
            drop_ok(Order::ReverseRaster.pixels(usize::MAX, 0)),
            Kind::TooLarge,
            "rows",
        ),
        (
            "region_flip_diff(region of another shape)",
            drop_ok(region_flip_diff(
                y.view(),
                y.view(),
                &p,
                Array2::from_elem((2, 3), true).view(),
            )),
            Kind::ShapeMismatch,
            "region",
        ),
        (
            "add_noise(fraction = NaN)",
            drop_ok(add_noise(y.view(), f64::NAN, &mut seeded(1))),
            Kind::NonFinite,
            "fraction",
        ),
        (
            "add_noise(fraction = 1.5)",
            drop_ok(add_noise(y.view(), 1.5, &mut seeded(1))),
            Kind::OutOfRange,
            "fraction",
        ),
    ];
    let mut failures = Vec::new();
    for (call, result, kind, argument) in &cases {
        match result {
            Err(e) if is(*kind, e) && e.argument() == Some(argument) => {}
            other => failures.push(format!(
                "{call}: expected {kind:?} naming {argument:?}, got {other:?}"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
