//! Tools that read the book's own sources: the chapter list, equation labels,
//! includes and errata markers. The structural tests and the appendix
//! generators share them.
