//! Projections: pure folds from events to views. Filled in by the projections issue.
