//! The demo dataset (`maillage demo`). Filled in below.
use sea_orm::DatabaseConnection;

pub const ADMIN_EMAIL: &str = "admin@cri-namur.example";
pub const COORDINATOR_EMAIL: &str = "coordination@cri-namur.example";
pub const MEMBER_EMAIL: &str = "membre@cri-namur.example";
pub const PASSWORD: &str = "maillage-demo";

pub async fn load(_db: &DatabaseConnection) -> anyhow::Result<String> {
    Ok(String::new())
}
