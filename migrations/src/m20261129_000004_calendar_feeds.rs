//! Personal calendar feeds: one secret token per person, stored as a SHA-256 hash.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FeedTokens {
    Table,
    Id,
    PersonId,
    TokenHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FeedTokens::Table)
                    .col(big_pk_auto(FeedTokens::Id))
                    .col(big_integer_uniq(FeedTokens::PersonId))
                    .col(string_uniq(FeedTokens::TokenHash))
                    .col(timestamp_with_time_zone(FeedTokens::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_feed_tokens_person")
                            .from(FeedTokens::Table, FeedTokens::PersonId)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FeedTokens::Table).to_owned())
            .await
    }
}
