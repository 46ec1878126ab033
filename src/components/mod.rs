//! Yew components (work in progress).
