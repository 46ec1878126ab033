//! The custom element (work in progress).
