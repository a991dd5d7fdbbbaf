//! Maximum flow / minimum s-t cut by the algorithm of Boykov and Kolmogorov
//! (2004): two search trees, one grown from the source and one from the
//! sink, that are kept from one augmentation to the next and repaired
//! ("adoption") instead of being rebuilt. On the sparse, short-path graphs of
//! images it is much faster than the textbook augmenting-path methods.
//!
//! The graph stores, for each node, one signed *terminal residual*
//! (positive: the residual capacity of the arc from the source to the node,
//! the arc to the sink being saturated; negative: minus the residual capacity
//! of the arc from the node to the sink), and for each arc `a` its residual
//! capacity; arcs come in pairs, and the reverse arc of `a` is `a ^ 1`.
//!
//! The names follow the paper, not the C++ code of Kolmogorov's
//! implementation: there `tr_cap` is our `terminal_residual`, `r_cap` our
//! `residual`, `ts` our `timestamp`, `TIME` our `clock`, `a0_min` our `best_arc`.

use crate::error::{ensure_allocatable, ensure_shape, Error, Result, MAX_ELEMENTS};

// ANCHOR: ising_graph
/// The end of a node's list of arcs; as a parent, a *free* node (in no tree).
const NO_ARC: usize = usize::MAX;
/// The parent of a node joined directly to its tree's terminal.
const TERMINAL: usize = usize::MAX - 1;
/// The parent of an orphan: a node whose arc to its parent has saturated.
const ORPHAN: usize = usize::MAX - 2;
/// The distance of a node whose path to its terminal runs through an orphan.
const INFINITE_DISTANCE: usize = usize::MAX;

/// The net flow on one edge: `(i, j, flow from i to j)`, negative if it goes from j to i.
pub type EdgeFlow = (usize, usize, f64);
/// The flows on the two terminal arcs of one node: `(s -> i, i -> t)`.
pub type TerminalFlow = (f64, f64);
/// One edge as added: `(i, j, capacity of i -> j, capacity of j -> i)`.
pub type EdgeCapacity = (usize, usize, f64, f64);

/// A flow network: `n` nodes plus a source and a sink.
#[derive(Debug, Clone)]
pub struct Graph {
    // --- nodes, indexed by node ---
    /// The first arc out of each node, or [`NO_ARC`]; the others follow by `next_arc`.
    first_arc: Vec<usize>,
    /// The signed terminal residual of each node (see the module's documentation).
    terminal_residual: Vec<f64>,
    /// The total capacity of s -> i added so far.
    source_capacity: Vec<f64>,
    /// The total capacity of i -> t added so far.
    sink_capacity: Vec<f64>,
    // --- arcs, indexed by arc; arc a and its reverse a ^ 1 ---
    /// The node each arc points to (so arc a runs from `head[a ^ 1]` to `head[a]`).
    head: Vec<usize>,
    /// The next arc out of the same node, or [`NO_ARC`].
    next_arc: Vec<usize>,
    /// The residual capacity of each arc: its capacity minus its flow plus the reverse flow.
    residual: Vec<f64>,
    /// The capacity of each arc as added.
    capacity: Vec<f64>,
    // --- the two search trees, indexed by node ---
    /// The arc from each node to its parent, or [`TERMINAL`], [`ORPHAN`], [`NO_ARC`] (free).
    parent: Vec<usize>,
    /// True for a node of the sink's tree T, false for the source's tree S.
    in_sink_tree: Vec<bool>,
    /// The `clock` at which `distance` was last known to be right.
    timestamp: Vec<usize>,
    /// The number of arcs from the node to its tree's terminal.
    distance: Vec<usize>,
    /// True while the node waits in `active_queue`.
    is_active: Vec<bool>,
    /// The active nodes: those at the frontier of a tree, which may still grow it.
    active_queue: std::collections::VecDeque<usize>,
    /// The orphans waiting for a new parent.
    orphans: std::collections::VecDeque<usize>,
    /// The number of growth steps so far: the timestamp of this search.
    clock: usize,
    /// The value of the flow pushed so far.
    flow: f64,
    /// True when nothing was added since the last [`Graph::max_flow`].
    solved: bool,
}
// ANCHOR_END: ising_graph

// ANCHOR: ising_graph_new
/// The largest capacity of one arc, and of the total added to one terminal
/// arc: 1e290. A graph has at most [`MAX_ELEMENTS`] nodes and arcs, so the
/// sum of all its capacities, which bounds the flow and every residual, is
/// below 3 * 2^28 * 1e290 < 1e299 and cannot overflow.
pub const MAX_CAPACITY: f64 = 1e290;

/// Checks that a capacity is finite, non-negative and at most what is left
/// below [`MAX_CAPACITY`] once `added` is counted.
#[inline]
fn ensure_capacity(what: &str, value: f64, added: f64) -> Result<()> {
    if value.is_finite() && value >= 0.0 && value <= MAX_CAPACITY - added {
        return Ok(()); // the common case: no allocation
    }
    if !value.is_finite() {
        return Err(Error::NonFinite {
            what: what.to_string(),
            index: vec![],
            value,
        });
    }
    if value < 0.0 {
        return Err(Error::BadValue {
            what: what.to_string(),
            index: vec![],
            value,
            allowed: "a capacity >= 0".to_string(),
        });
    }
    Err(Error::OutOfRange {
        what: what.to_string(),
        value,
        range: format!(
            "[0, {:e}] (MAX_CAPACITY = {MAX_CAPACITY:e}, {added:e} of it added already)",
            MAX_CAPACITY - added
        ),
    })
}

impl Graph {
    /// A graph with `n` nodes, no arcs and no terminal capacities (an error
    /// beyond [`MAX_ELEMENTS`] nodes).
    pub fn new(n: usize) -> Result<Graph> {
        ensure_allocatable("n", &[n])?;
        Ok(Graph {
            first_arc: vec![NO_ARC; n],
            terminal_residual: vec![0.0; n],
            source_capacity: vec![0.0; n],
            sink_capacity: vec![0.0; n],
            head: Vec::new(),
            next_arc: Vec::new(),
            residual: Vec::new(),
            capacity: Vec::new(),
            parent: vec![NO_ARC; n],
            in_sink_tree: vec![false; n],
            timestamp: vec![0; n],
            distance: vec![0; n],
            is_active: vec![false; n],
            active_queue: std::collections::VecDeque::new(),
            orphans: std::collections::VecDeque::new(),
            clock: 0,
            flow: 0.0,
            solved: false,
        })
    }

    /// A graph with `n` nodes and room for `edges` edges (2 `edges` arcs, at
    /// most [`MAX_ELEMENTS`]).
    pub fn with_capacity(n: usize, edges: usize) -> Result<Graph> {
        let arcs = ensure_allocatable("edges", &[2, edges])?;
        let mut g = Graph::new(n)?;
        g.head.reserve(arcs);
        g.next_arc.reserve(arcs);
        g.residual.reserve(arcs);
        g.capacity.reserve(arcs);
        Ok(g)
    }

    /// The number of non-terminal nodes.
    pub fn nodes(&self) -> usize {
        self.first_arc.len()
    }

    /// Checks that `i` is the index of a node, naming `what` otherwise.
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
}
// ANCHOR_END: ising_graph_new

// ANCHOR: ising_add_terminal
impl Graph {
    /// Adds capacity `source` on the arc s -> i and `sink` on the arc i -> t.
    ///
    /// Only their difference matters to the search: the common part
    /// min(source, sink) is cut whichever side i ends on, so it is pushed
    /// through at once (s -> i -> t) and added to the flow.
    #[inline]
    pub fn add_terminal(&mut self, i: usize, source: f64, sink: f64) -> Result<()> {
        self.ensure_node("i", i)?;
        ensure_capacity("source", source, self.source_capacity[i])?;
        ensure_capacity("sink", sink, self.sink_capacity[i])?;
        self.source_capacity[i] += source;
        self.sink_capacity[i] += sink;
        // the residuals of s -> i and i -> t, at most one of them positive before
        let old = self.terminal_residual[i];
        let from_source = source + old.max(0.0);
        let to_sink = sink + (-old).max(0.0);
        // the common part goes s -> i -> t at once
        self.flow += from_source.min(to_sink);
        self.terminal_residual[i] = from_source - to_sink;
        self.solved = false;
        Ok(())
    }
}
// ANCHOR_END: ising_add_terminal

// ANCHOR: ising_add_edge
impl Graph {
    /// Adds the arc i -> j with capacity `cap` and the arc j -> i with capacity `rev_cap`.
    #[inline]
    pub fn add_edge(&mut self, i: usize, j: usize, cap: f64, rev_cap: f64) -> Result<()> {
        self.ensure_node("i", i)?;
        self.ensure_node("j", j)?;
        if i == j {
            return Err(Error::BadSize {
                what: "j".to_string(),
                value: j,
                constraint: format!("j != i = {i} (no edge from a node to itself)"),
            });
        }
        ensure_capacity("cap", cap, 0.0)?;
        ensure_capacity("rev_cap", rev_cap, 0.0)?;
        let a = self.head.len();
        if a + 2 > MAX_ELEMENTS {
            return Err(Error::TooLarge {
                what: "the number of arcs after add_edge".to_string(),
                value: (a + 2) as u128,
                limit: MAX_ELEMENTS as u128,
            });
        }
        self.head.push(j);
        self.head.push(i);
        self.next_arc.push(self.first_arc[i]);
        self.next_arc.push(self.first_arc[j]);
        self.first_arc[i] = a;
        self.first_arc[j] = a + 1;
        self.residual.push(cap);
        self.residual.push(rev_cap);
        self.capacity.push(cap);
        self.capacity.push(rev_cap);
        self.solved = false;
        Ok(())
    }
}
// ANCHOR_END: ising_add_edge

impl Graph {
    /// The capacity of the cut that puts the nodes with `source_side[i]` on
    /// the source side and the others on the sink side, from the capacities
    /// as they were added.
    pub fn cut_value(&self, source_side: &[bool]) -> Result<f64> {
        ensure_shape("source_side", &[self.nodes()], &[source_side.len()])?;
        let mut total = 0.0;
        for (i, &source) in source_side.iter().enumerate() {
            // a source-side node cuts its arc to the sink, a sink-side node its arc from the source
            total += if source {
                self.sink_capacity[i]
            } else {
                self.source_capacity[i]
            };
        }
        for a in 0..self.head.len() {
            let (from, to) = (self.head[a ^ 1], self.head[a]);
            if source_side[from] && !source_side[to] {
                total += self.capacity[a];
            }
        }
        Ok(total)
    }

    /// The flow after [`Graph::max_flow`]: the net flow on every edge added,
    /// as `(i, j, flow from i to j)` in the order of [`Graph::add_edge`], and
    /// for every node the flows `(s -> i, i -> t)` on its terminal arcs.
    ///
    /// A node keeps one signed terminal residual `terminal_residual`: positive, the
    /// residual capacity of s -> i (and i -> t is saturated); negative, minus
    /// the residual capacity of i -> t (and s -> i is saturated). Every push,
    /// whether the common part that [`Graph::add_terminal`] sends
    /// s -> i -> t at once or an augmentation, only lowers these residuals,
    /// so the flow on each terminal arc is its capacity as added minus its
    /// residual: source - max(terminal_residual, 0) and sink - max(-terminal_residual, 0). This
    /// holds however capacities and solves were interleaved.
    pub fn flows(&self) -> (Vec<EdgeFlow>, Vec<TerminalFlow>) {
        let arcs = (0..self.head.len())
            .step_by(2)
            .map(|a| {
                (
                    self.head[a + 1],
                    self.head[a],
                    self.capacity[a] - self.residual[a],
                )
            })
            .collect();
        let terminal = (0..self.nodes())
            .map(|i| {
                let residual = self.terminal_residual[i];
                (
                    self.source_capacity[i] - residual.max(0.0),
                    self.sink_capacity[i] - (-residual).max(0.0),
                )
            })
            .collect();
        (arcs, terminal)
    }
}

impl Graph {
    /// The network as it was built: every edge `(i, j, cap, rev_cap)` in the
    /// order of [`Graph::add_edge`], and for every node the total capacities
    /// `(s -> i, i -> t)` given to [`Graph::add_terminal`]. (Figures draw the
    /// graph from it; the flow does not change it.)
    pub fn capacities(&self) -> (Vec<EdgeCapacity>, Vec<TerminalFlow>) {
        let edges = (0..self.head.len())
            .step_by(2)
            .map(|a| {
                (
                    self.head[a + 1],
                    self.head[a],
                    self.capacity[a],
                    self.capacity[a + 1],
                )
            })
            .collect();
        let terminal = self
            .source_capacity
            .iter()
            .zip(&self.sink_capacity)
            .map(|(&s, &t)| (s, t))
            .collect();
        (edges, terminal)
    }
}

// ANCHOR: ising_max_flow
impl Graph {
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
                    self.is_active[i] = false;
                    (self.parent[i] != NO_ARC).then_some(i)
                }
                None => None,
            };
            if i.is_none() {
                i = self.next_active();
            }
            let Some(i) = i else { break };
            // growth: extend the tree of i by one layer, or find an arc to the other tree
            let middle = self.grow(i);
            self.clock += 1;
            if let Some(a) = middle {
                self.is_active[i] = true; // i is processed again before the queue
                current = Some(i);
                self.augment(a);
                self.adopt_orphans();
            }
        }
        self.solved = true;
        self.flow
    }

    /// Starts the search: every node with a positive terminal residual is a
    /// child of the source (tree S), every node with a negative one a child of
    /// the sink (tree T), all of them active; the others are free. The
    /// residuals of the arcs, and so the flow already found, are kept.
    fn init_trees(&mut self) {
        self.active_queue.clear();
        self.orphans.clear();
        self.clock = 0;
        for i in 0..self.nodes() {
            self.is_active[i] = false;
            self.timestamp[i] = 0;
            if self.terminal_residual[i] > 0.0 {
                self.in_sink_tree[i] = false;
                self.parent[i] = TERMINAL;
                self.distance[i] = 1;
                self.set_active(i);
            } else if self.terminal_residual[i] < 0.0 {
                self.in_sink_tree[i] = true;
                self.parent[i] = TERMINAL;
                self.distance[i] = 1;
                self.set_active(i);
            } else {
                self.parent[i] = NO_ARC;
            }
        }
    }

    /// The next active node still in a tree (nodes freed while they waited are skipped).
    fn next_active(&mut self) -> Option<usize> {
        while let Some(i) = self.active_queue.pop_front() {
            self.is_active[i] = false;
            if self.parent[i] != NO_ARC {
                return Some(i);
            }
        }
        None
    }

    /// True when node `i` is on the source side of the minimum cut found by
    /// [`Graph::max_flow`] (a node reachable from neither terminal in the
    /// residual graph goes to the sink side; either side gives a minimum cut).
    pub fn in_source_set(&self, i: usize) -> Result<bool> {
        self.ensure_node("i", i)?;
        Ok(self.parent[i] != NO_ARC && !self.in_sink_tree[i])
    }
}
// ANCHOR_END: ising_max_flow

// ANCHOR: ising_grow
impl Graph {
    /// Puts node `i` at the back of the queue of active nodes, unless it waits there already.
    fn set_active(&mut self, i: usize) {
        if !self.is_active[i] {
            self.is_active[i] = true;
            self.active_queue.push_back(i);
        }
    }

    /// Grows the tree of `i`; returns an arc from the source tree to the sink tree if it meets one.
    fn grow(&mut self, i: usize) -> Option<usize> {
        let sink_tree = self.in_sink_tree[i];
        let mut a = self.first_arc[i];
        while a != NO_ARC {
            // residual capacity in the direction of the tree's growth
            let residual = if sink_tree {
                self.residual[a ^ 1]
            } else {
                self.residual[a]
            };
            if residual > 0.0 {
                let j = self.head[a];
                if self.parent[j] == NO_ARC {
                    self.in_sink_tree[j] = sink_tree;
                    self.parent[j] = a ^ 1;
                    self.timestamp[j] = self.timestamp[i];
                    self.distance[j] = self.distance[i] + 1;
                    self.set_active(j);
                } else if self.in_sink_tree[j] != sink_tree {
                    return Some(if sink_tree { a ^ 1 } else { a });
                } else if self.timestamp[j] <= self.timestamp[i]
                    && self.distance[j] > self.distance[i]
                {
                    // heuristic of Boykov and Kolmogorov: prefer the shorter path to the terminal
                    self.parent[j] = a ^ 1;
                    self.timestamp[j] = self.timestamp[i];
                    self.distance[j] = self.distance[i] + 1;
                }
            }
            a = self.next_arc[a];
        }
        None
    }
}
// ANCHOR_END: ising_grow

// ANCHOR: ising_augment
impl Graph {
    /// Makes `i` an orphan, processed before the orphans already waiting.
    fn set_orphan_front(&mut self, i: usize) {
        self.parent[i] = ORPHAN;
        self.orphans.push_front(i);
    }

    /// Pushes the bottleneck flow along source -> ... -> tail(middle) -> head(middle) -> ... -> sink.
    fn augment(&mut self, middle: usize) {
        // bottleneck
        let mut bottleneck = self.residual[middle];
        let mut i = self.head[middle ^ 1];
        loop {
            let a = self.parent[i];
            if a == TERMINAL {
                break;
            }
            bottleneck = bottleneck.min(self.residual[a ^ 1]);
            i = self.head[a];
        }
        bottleneck = bottleneck.min(self.terminal_residual[i]);
        let mut i = self.head[middle];
        loop {
            let a = self.parent[i];
            if a == TERMINAL {
                break;
            }
            bottleneck = bottleneck.min(self.residual[a]);
            i = self.head[a];
        }
        bottleneck = bottleneck.min(-self.terminal_residual[i]);
        // push
        self.residual[middle ^ 1] += bottleneck;
        self.residual[middle] -= bottleneck;
        let mut i = self.head[middle ^ 1];
        loop {
            let a = self.parent[i];
            if a == TERMINAL {
                break;
            }
            self.residual[a] += bottleneck;
            self.residual[a ^ 1] -= bottleneck;
            let up = self.head[a];
            if self.residual[a ^ 1] <= 0.0 {
                self.set_orphan_front(i);
            }
            i = up;
        }
        self.terminal_residual[i] -= bottleneck;
        if self.terminal_residual[i] <= 0.0 {
            self.set_orphan_front(i);
        }
        let mut i = self.head[middle];
        loop {
            let a = self.parent[i];
            if a == TERMINAL {
                break;
            }
            self.residual[a ^ 1] += bottleneck;
            self.residual[a] -= bottleneck;
            let up = self.head[a];
            if self.residual[a] <= 0.0 {
                self.set_orphan_front(i);
            }
            i = up;
        }
        self.terminal_residual[i] += bottleneck;
        if self.terminal_residual[i] >= 0.0 {
            self.set_orphan_front(i);
        }
        self.flow += bottleneck;
    }
}
// ANCHOR_END: ising_augment

// ANCHOR: ising_adopt
impl Graph {
    /// Processes orphans until none is left (processing one may make others).
    fn adopt_orphans(&mut self) {
        while let Some(i) = self.orphans.pop_front() {
            self.process_orphan(i);
        }
    }

    /// Finds a new parent for orphan `i` in its own tree, one whose path to
    /// the terminal is valid; if there is none, `i` becomes free and its
    /// children become orphans.
    fn process_orphan(&mut self, i: usize) {
        let sink_tree = self.in_sink_tree[i];
        let mut best_distance = INFINITE_DISTANCE;
        let mut best_arc = NO_ARC;
        let mut arc = self.first_arc[i];
        while arc != NO_ARC {
            // residual capacity from the neighbour toward i in the tree's direction
            let residual = if sink_tree {
                self.residual[arc]
            } else {
                self.residual[arc ^ 1]
            };
            let j = self.head[arc];
            if residual > 0.0 && self.in_sink_tree[j] == sink_tree && self.parent[j] != NO_ARC {
                // the number of arcs from j to its terminal, or infinity if its path meets an orphan
                let mut to_terminal = 0usize;
                let mut node = j;
                loop {
                    if self.timestamp[node] == self.clock {
                        to_terminal += self.distance[node];
                        break;
                    }
                    let a = self.parent[node];
                    to_terminal += 1;
                    if a == TERMINAL {
                        self.timestamp[node] = self.clock;
                        self.distance[node] = 1;
                        break;
                    }
                    if a == ORPHAN {
                        to_terminal = INFINITE_DISTANCE;
                        break;
                    }
                    node = self.head[a];
                }
                if to_terminal < INFINITE_DISTANCE {
                    if to_terminal < best_distance {
                        best_arc = arc;
                        best_distance = to_terminal;
                    }
                    // mark the path so that later searches stop early
                    let mut node = j;
                    while self.timestamp[node] != self.clock {
                        self.timestamp[node] = self.clock;
                        self.distance[node] = to_terminal;
                        to_terminal -= 1;
                        node = self.head[self.parent[node]];
                    }
                }
            }
            arc = self.next_arc[arc];
        }
        self.parent[i] = best_arc;
        if best_arc != NO_ARC {
            self.timestamp[i] = self.clock;
            self.distance[i] = best_distance + 1;
            return;
        }
        // no new parent: i becomes free
        let mut arc = self.first_arc[i];
        while arc != NO_ARC {
            let j = self.head[arc];
            let a = self.parent[j];
            if self.in_sink_tree[j] == sink_tree && a != NO_ARC {
                let residual = if sink_tree {
                    self.residual[arc]
                } else {
                    self.residual[arc ^ 1]
                };
                if residual > 0.0 {
                    self.set_active(j);
                }
                if a != TERMINAL && a != ORPHAN && self.head[a] == i {
                    self.set_orphan_rear(j);
                }
            }
            arc = self.next_arc[arc];
        }
    }

    /// Makes `i` an orphan, processed after the orphans already waiting.
    fn set_orphan_rear(&mut self, i: usize) {
        self.parent[i] = ORPHAN;
        self.orphans.push_back(i);
    }
}
// ANCHOR_END: ising_adopt
