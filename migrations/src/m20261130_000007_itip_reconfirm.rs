//! When a meeting's date, time or place last changed in a way that asks invitees to confirm
//! again: updates then reset their PARTSTAT to NEEDS-ACTION, and the meeting page lists who
//! has not answered since. Existing meetings start with none (NULL): their answers stand.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Meetings {
    Table,
    ReconfirmSince,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Meetings::Table)
                    .add_column(timestamp_with_time_zone_null(Meetings::ReconfirmSince))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Meetings::Table)
                    .drop_column(Meetings::ReconfirmSince)
                    .to_owned(),
            )
            .await
    }
}
