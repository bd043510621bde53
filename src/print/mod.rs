//! Printing: document model → ESC/POS bytes → transports (serial, network, file, virtual).
//! The printing subsystem is built in its own capability; this module is its home.
