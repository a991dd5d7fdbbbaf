//! Maximum flow / minimum s-t cut by the algorithm of Boykov and Kolmogorov
//! (2004): two search trees, one grown from the source and one from the
//! sink, that are kept from one augmentation to the next and repaired
//! ("adoption") instead of being rebuilt. On the sparse, short-path graphs of
//! images it is much faster than the textbook augmenting-path methods.
//!
//! The graph stores, for each node, one combined terminal residual `tr_cap`
//! (positive: residual capacity from the source to the node; negative: from
//! the node to the sink), and for each arc `a` its residual capacity; the
//! reverse arc of `a` is `a ^ 1`.

use crate::error::{Error, Result};
use std::collections::VecDeque;

const NONE: usize = usize::MAX;
const TERMINAL: usize = usize::MAX - 1;
const ORPHAN: usize = usize::MAX - 2;
const INFINITE_D: usize = usize::MAX;

/// The net flow on one edge: `(i, j, flow from i to j)`, negative if it goes from j to i.
pub type EdgeFlow = (usize, usize, f64);
/// The flows on the two terminal arcs of one node: `(s -> i, i -> t)`.
pub type TerminalFlow = (f64, f64);

/// A flow network: `n` nodes plus a source and a sink.
#[derive(Debug, Clone)]
pub struct Graph {
    // nodes
    first: Vec<usize>,
    tr_cap: Vec<f64>,
    source_cap: Vec<f64>,
    sink_cap: Vec<f64>,
    // arcs (in pairs: arc a and its reverse a ^ 1)
    head: Vec<usize>,
    next: Vec<usize>,
    r_cap: Vec<f64>,
    cap: Vec<f64>,
    // search state
    parent: Vec<usize>,
    is_sink: Vec<bool>,
    ts: Vec<usize>,
    dist: Vec<usize>,
    active: Vec<bool>,
    queue: VecDeque<usize>,
    orphans: VecDeque<usize>,
    time: usize,
    flow: f64,
    solved: bool,
}

#[inline]
fn ensure_capacity(what: &str, index: &[usize], value: f64) -> Result<()> {
    if value.is_finite() && value >= 0.0 {
        return Ok(()); // the common case: no allocation
    }
    let index = index.to_vec();
    if !value.is_finite() {
        return Err(Error::NonFinite {
            what: what.to_string(),
            index,
            value,
        });
    }
    if value < 0.0 {
        return Err(Error::BadValue {
            what: what.to_string(),
            index,
            value,
            allowed: "a capacity >= 0".to_string(),
        });
    }
    Ok(())
}

impl Graph {
    /// A graph with `n` nodes, no arcs and no terminal capacities.
    pub fn new(n: usize) -> Graph {
        Graph {
            first: vec![NONE; n],
            tr_cap: vec![0.0; n],
            source_cap: vec![0.0; n],
            sink_cap: vec![0.0; n],
            head: Vec::new(),
            next: Vec::new(),
            r_cap: Vec::new(),
            cap: Vec::new(),
            parent: vec![NONE; n],
            is_sink: vec![false; n],
            ts: vec![0; n],
            dist: vec![0; n],
            active: vec![false; n],
            queue: VecDeque::new(),
            orphans: VecDeque::new(),
            time: 0,
            flow: 0.0,
            solved: false,
        }
    }

    /// A graph with `n` nodes and room for `edges` edges (2 `edges` arcs).
    pub fn with_capacity(n: usize, edges: usize) -> Graph {
        let mut g = Graph::new(n);
        g.head.reserve(2 * edges);
        g.next.reserve(2 * edges);
        g.r_cap.reserve(2 * edges);
        g.cap.reserve(2 * edges);
        g
    }

    /// The number of non-terminal nodes.
    pub fn nodes(&self) -> usize {
        self.first.len()
    }

    #[inline]
    fn ensure_node(&self, what: &str, i: usize) -> Result<()> {
        if i < self.nodes() {
            Ok(())
        } else {
            Err(Error::BadSize {
                what: what.to_string(),
                value: i,
                constraint: format!("a node index < {}", self.nodes()),
            })
        }
    }

    // ANCHOR: add_terminal
    /// Adds capacity `source` on the arc s -> i and `sink` on the arc i -> t.
    ///
    /// Only their difference matters to the search: the common part
    /// min(source, sink) is cut whichever side i ends on, so it is pushed
    /// through at once (s -> i -> t) and added to the flow.
    #[inline]
    pub fn add_terminal(&mut self, i: usize, source: f64, sink: f64) -> Result<()> {
        self.ensure_node("the node i of a terminal arc", i)?;
        ensure_capacity("the source capacity", &[i], source)?;
        ensure_capacity("the sink capacity", &[i], sink)?;
        self.source_cap[i] += source;
        self.sink_cap[i] += sink;
        let (mut s, mut t) = (source, sink);
        let delta = self.tr_cap[i];
        if delta > 0.0 {
            s += delta;
        } else {
            t -= delta;
        }
        self.flow += s.min(t);
        self.tr_cap[i] = s - t;
        self.solved = false;
        Ok(())
    }
    // ANCHOR_END: add_terminal

    /// Adds the arc i -> j with capacity `cap` and the arc j -> i with capacity `rev_cap`.
    #[inline]
    pub fn add_edge(&mut self, i: usize, j: usize, cap: f64, rev_cap: f64) -> Result<()> {
        self.ensure_node("the node i of an edge", i)?;
        self.ensure_node("the node j of an edge", j)?;
        if i == j {
            return Err(Error::Invalid(format!("an edge from node {i} to itself")));
        }
        ensure_capacity("the edge capacity i -> j", &[i, j], cap)?;
        ensure_capacity("the edge capacity j -> i", &[j, i], rev_cap)?;
        let a = self.head.len();
        self.head.push(j);
        self.head.push(i);
        self.next.push(self.first[i]);
        self.next.push(self.first[j]);
        self.first[i] = a;
        self.first[j] = a + 1;
        self.r_cap.push(cap);
        self.r_cap.push(rev_cap);
        self.cap.push(cap);
        self.cap.push(rev_cap);
        self.solved = false;
        Ok(())
    }

    /// The capacity of the cut that puts the nodes with `source_side[i]` on
    /// the source side and the others on the sink side, from the capacities
    /// as they were added.
    pub fn cut_value(&self, source_side: &[bool]) -> Result<f64> {
        crate::error::ensure_shape(
            "the source side of a cut",
            &[self.nodes()],
            &[source_side.len()],
        )?;
        let mut total = 0.0;
        for (i, &source) in source_side.iter().enumerate() {
            // a source-side node cuts its arc to the sink, a sink-side node its arc from the source
            total += if source {
                self.sink_cap[i]
            } else {
                self.source_cap[i]
            };
        }
        for a in 0..self.head.len() {
            let (from, to) = (self.head[a ^ 1], self.head[a]);
            if source_side[from] && !source_side[to] {
                total += self.cap[a];
            }
        }
        Ok(total)
    }

    /// The flow after [`Graph::max_flow`]: the net flow on every edge added,
    /// as `(i, j, flow from i to j)` in the order of [`Graph::add_edge`], and
    /// for every node the flows `(s -> i, i -> t)` on its terminal arcs.
    ///
    /// A node keeps one signed terminal residual `tr_cap`: positive, the
    /// residual capacity of s -> i (and i -> t is saturated); negative, minus
    /// the residual capacity of i -> t (and s -> i is saturated). Every push,
    /// whether the common part that [`Graph::add_terminal`] sends
    /// s -> i -> t at once or an augmentation, only lowers these residuals,
    /// so the flow on each terminal arc is its capacity as added minus its
    /// residual: source - max(tr_cap, 0) and sink - max(-tr_cap, 0). This
    /// holds however capacities and solves were interleaved.
    pub fn flows(&self) -> (Vec<EdgeFlow>, Vec<TerminalFlow>) {
        let arcs = (0..self.head.len())
            .step_by(2)
            .map(|a| (self.head[a + 1], self.head[a], self.cap[a] - self.r_cap[a]))
            .collect();
        let terminal = (0..self.nodes())
            .map(|i| {
                let residual = self.tr_cap[i];
                (
                    self.source_cap[i] - residual.max(0.0),
                    self.sink_cap[i] - (-residual).max(0.0),
                )
            })
            .collect();
        (arcs, terminal)
    }

    /// True when node `i` is on the source side of the minimum cut found by
    /// [`Graph::max_flow`] (a node reachable from neither terminal in the
    /// residual graph goes to the sink side; either side gives a minimum cut).
    pub fn in_source_set(&self, i: usize) -> Result<bool> {
        self.ensure_node("the node i of in_source_set", i)?;
        Ok(self.parent[i] != NONE && !self.is_sink[i])
    }

    fn set_active(&mut self, i: usize) {
        if !self.active[i] {
            self.active[i] = true;
            self.queue.push_back(i);
        }
    }

    fn next_active(&mut self) -> Option<usize> {
        while let Some(i) = self.queue.pop_front() {
            self.active[i] = false;
            if self.parent[i] != NONE {
                return Some(i);
            }
        }
        None
    }

    // ANCHOR: max_flow
    /// Computes the maximum flow from the source to the sink and returns its value.
    pub fn max_flow(&mut self) -> f64 {
        if self.solved {
            return self.flow;
        }
        self.init_trees();
        let mut current: Option<usize> = None;
        loop {
            // pick an active node: the last one again if it found a path, else the next in the queue
            let mut i = match current.take() {
                Some(i) => {
                    self.active[i] = false;
                    (self.parent[i] != NONE).then_some(i)
                }
                None => None,
            };
            if i.is_none() {
                i = self.next_active();
            }
            let Some(i) = i else { break };
            // growth: extend the tree of i by one layer, or find an arc to the other tree
            let middle = self.grow(i);
            self.time += 1;
            if let Some(a) = middle {
                self.active[i] = true; // i is processed again before the queue
                current = Some(i);
                self.augment(a);
                self.adopt_orphans();
            }
        }
        self.solved = true;
        self.flow
    }
    // ANCHOR_END: max_flow

    fn init_trees(&mut self) {
        self.queue.clear();
        self.orphans.clear();
        self.time = 0;
        for i in 0..self.nodes() {
            self.active[i] = false;
            self.ts[i] = 0;
            if self.tr_cap[i] > 0.0 {
                self.is_sink[i] = false;
                self.parent[i] = TERMINAL;
                self.dist[i] = 1;
                self.set_active(i);
            } else if self.tr_cap[i] < 0.0 {
                self.is_sink[i] = true;
                self.parent[i] = TERMINAL;
                self.dist[i] = 1;
                self.set_active(i);
            } else {
                self.parent[i] = NONE;
            }
        }
    }

    // ANCHOR: grow
    /// Grows the tree of `i`; returns an arc from the source tree to the sink tree if it meets one.
    fn grow(&mut self, i: usize) -> Option<usize> {
        let sink_tree = self.is_sink[i];
        let mut a = self.first[i];
        while a != NONE {
            // residual capacity in the direction of the tree's growth
            let residual = if sink_tree {
                self.r_cap[a ^ 1]
            } else {
                self.r_cap[a]
            };
            if residual > 0.0 {
                let j = self.head[a];
                if self.parent[j] == NONE {
                    self.is_sink[j] = sink_tree;
                    self.parent[j] = a ^ 1;
                    self.ts[j] = self.ts[i];
                    self.dist[j] = self.dist[i] + 1;
                    self.set_active(j);
                } else if self.is_sink[j] != sink_tree {
                    return Some(if sink_tree { a ^ 1 } else { a });
                } else if self.ts[j] <= self.ts[i] && self.dist[j] > self.dist[i] {
                    // heuristic of Boykov and Kolmogorov: prefer the shorter path to the terminal
                    self.parent[j] = a ^ 1;
                    self.ts[j] = self.ts[i];
                    self.dist[j] = self.dist[i] + 1;
                }
            }
            a = self.next[a];
        }
        None
    }
    // ANCHOR_END: grow

    fn set_orphan_front(&mut self, i: usize) {
        self.parent[i] = ORPHAN;
        self.orphans.push_front(i);
    }

    fn set_orphan_rear(&mut self, i: usize) {
        self.parent[i] = ORPHAN;
        self.orphans.push_back(i);
    }

    // ANCHOR: augment
    /// Pushes the bottleneck flow along source -> ... -> tail(middle) -> head(middle) -> ... -> sink.
    fn augment(&mut self, middle: usize) {
        // bottleneck
        let mut bottleneck = self.r_cap[middle];
        let mut i = self.head[middle ^ 1];
        loop {
            let a = self.parent[i];
            if a == TERMINAL {
                break;
            }
            bottleneck = bottleneck.min(self.r_cap[a ^ 1]);
            i = self.head[a];
        }
        bottleneck = bottleneck.min(self.tr_cap[i]);
        let mut i = self.head[middle];
        loop {
            let a = self.parent[i];
            if a == TERMINAL {
                break;
            }
            bottleneck = bottleneck.min(self.r_cap[a]);
            i = self.head[a];
        }
        bottleneck = bottleneck.min(-self.tr_cap[i]);
        // push
        self.r_cap[middle ^ 1] += bottleneck;
        self.r_cap[middle] -= bottleneck;
        let mut i = self.head[middle ^ 1];
        loop {
            let a = self.parent[i];
            if a == TERMINAL {
                break;
            }
            self.r_cap[a] += bottleneck;
            self.r_cap[a ^ 1] -= bottleneck;
            let up = self.head[a];
            if self.r_cap[a ^ 1] <= 0.0 {
                self.set_orphan_front(i);
            }
            i = up;
        }
        self.tr_cap[i] -= bottleneck;
        if self.tr_cap[i] <= 0.0 {
            self.set_orphan_front(i);
        }
        let mut i = self.head[middle];
        loop {
            let a = self.parent[i];
            if a == TERMINAL {
                break;
            }
            self.r_cap[a ^ 1] += bottleneck;
            self.r_cap[a] -= bottleneck;
            let up = self.head[a];
            if self.r_cap[a] <= 0.0 {
                self.set_orphan_front(i);
            }
            i = up;
        }
        self.tr_cap[i] += bottleneck;
        if self.tr_cap[i] >= 0.0 {
            self.set_orphan_front(i);
        }
        self.flow += bottleneck;
    }
    // ANCHOR_END: augment

    fn adopt_orphans(&mut self) {
        while let Some(i) = self.orphans.pop_front() {
            self.process_orphan(i);
        }
    }

    // ANCHOR: adopt
    /// Finds a new parent for orphan `i` in its own tree, one whose path to
    /// the terminal is valid; if there is none, `i` becomes free and its
    /// children become orphans.
    fn process_orphan(&mut self, i: usize) {
        let sink_tree = self.is_sink[i];
        let mut d_min = INFINITE_D;
        let mut a0_min = NONE;
        let mut a0 = self.first[i];
        while a0 != NONE {
            // residual capacity from the neighbour toward i in the tree's direction
            let residual = if sink_tree {
                self.r_cap[a0]
            } else {
                self.r_cap[a0 ^ 1]
            };
            let j = self.head[a0];
            if residual > 0.0 && self.is_sink[j] == sink_tree && self.parent[j] != NONE {
                // the distance of j to its terminal, or infinity if its root is an orphan
                let mut d = 0usize;
                let mut k = j;
                loop {
                    if self.ts[k] == self.time {
                        d += self.dist[k];
                        break;
                    }
                    let a = self.parent[k];
                    d += 1;
                    if a == TERMINAL {
                        self.ts[k] = self.time;
                        self.dist[k] = 1;
                        break;
                    }
                    if a == ORPHAN {
                        d = INFINITE_D;
                        break;
                    }
                    k = self.head[a];
                }
                if d < INFINITE_D {
                    if d < d_min {
                        a0_min = a0;
                        d_min = d;
                    }
                    // mark the path so that later searches stop early
                    let mut k = j;
                    while self.ts[k] != self.time {
                        self.ts[k] = self.time;
                        self.dist[k] = d;
                        d -= 1;
                        k = self.head[self.parent[k]];
                    }
                }
            }
            a0 = self.next[a0];
        }
        self.parent[i] = a0_min;
        if a0_min != NONE {
            self.ts[i] = self.time;
            self.dist[i] = d_min + 1;
            return;
        }
        // no new parent: i becomes free
        let mut a0 = self.first[i];
        while a0 != NONE {
            let j = self.head[a0];
            let a = self.parent[j];
            if self.is_sink[j] == sink_tree && a != NONE {
                let residual = if sink_tree {
                    self.r_cap[a0]
                } else {
                    self.r_cap[a0 ^ 1]
                };
                if residual > 0.0 {
                    self.set_active(j);
                }
                if a != TERMINAL && a != ORPHAN && self.head[a] == i {
                    self.set_orphan_rear(j);
                }
            }
            a0 = self.next[a0];
        }
    }
    // ANCHOR_END: adopt
}
