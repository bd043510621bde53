//! The hall's LAN service: HTTP API, live events and the client that kiosks and displays use.
//! The hub is built in its own capability; this module is its home.
