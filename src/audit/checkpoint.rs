//! C2SP signed-note checkpoints (work in progress).
