//! maillage: coordination of a provincial integration network — its thematic platforms,
//! working groups, members and organisations. Each room (folder) holds one domain area with its
//! rules, routes and views side by side; `web/` holds the shared plumbing.

pub mod app;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod entities;
pub mod events;
pub mod groups;
pub mod home;
pub mod mail;
pub mod meetings;
pub mod members;
pub mod offices;
pub mod organisations;
pub mod people;
pub mod platforms;
pub mod state;
pub mod statics;
pub mod web;
