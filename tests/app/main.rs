//! The integration suite: the real app over HTTP on a fresh database per test
//! (SQLite by default; PostgreSQL when TEST_DATABASE_URL is set).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod helpers;

mod agenda;
mod auth;
mod bad_input;
mod boundaries;
mod browser;
mod cache_bounds;
mod calendar;
mod cli;
mod directory;
mod events;
mod groups;
mod health;
mod home;
mod itip;
mod itip_sessions;
mod mail;
mod meeting_ics;
mod meetings;
mod members;
mod migrations;
mod occurrence_index;
mod operations;
mod permissions;
mod platforms;
mod robustness;
mod session_rows;
mod sessions;
mod signin_hardening;
mod snapshots;
mod stored_times;
mod visibility;
mod yearly;
