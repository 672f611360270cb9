CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

BEGIN TRANSACTION;
CREATE TABLE "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);

CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "CreatedAt" INTEGER NOT NULL,
    "External" INTEGER NOT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" TEXT NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL
);

CREATE TABLE "Audit" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Audit" PRIMARY KEY AUTOINCREMENT,
    "Time" INTEGER NOT NULL,
    "Caller" TEXT NOT NULL,
    "Address" TEXT NULL,
    "Operation" TEXT NOT NULL,
    "Scope" TEXT NOT NULL,
    "Target" TEXT NULL,
    "Outcome" TEXT NOT NULL,
    "Message" TEXT NULL
);

CREATE TABLE "Tokens" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Tokens" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Kind" INTEGER NOT NULL,
    "SecretHash" TEXT NOT NULL,
    "Role" INTEGER NOT NULL,
    "Scopes" TEXT NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "RevokedAt" INTEGER NULL,
    "LastUsedAt" INTEGER NULL
);

CREATE TABLE "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Grants" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Grants" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "Scope" TEXT NOT NULL,
    "Role" INTEGER NOT NULL,
    CONSTRAINT "FK_Grants_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");

CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");

CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");

CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");

CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");

CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");

CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");

CREATE INDEX "IX_Audit_Time" ON "Audit" ("Time");

CREATE UNIQUE INDEX "IX_Grants_UserId_Scope" ON "Grants" ("UserId", "Scope");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127133435_Initial', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "AlertFirings" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AlertFirings" PRIMARY KEY AUTOINCREMENT,
    "RuleId" INTEGER NOT NULL,
    "RuleName" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Engine" TEXT NOT NULL,
    "ContainerId" TEXT NOT NULL,
    "ContainerName" TEXT NOT NULL,
    "Project" TEXT NULL,
    "Message" TEXT NOT NULL,
    "FiredAt" INTEGER NOT NULL,
    "AcknowledgedAt" INTEGER NULL,
    "AcknowledgedBy" TEXT NULL
);

CREATE TABLE "AlertRules" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AlertRules" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Engine" TEXT NULL,
    "Project" TEXT NULL,
    "NamePattern" TEXT NULL,
    "RestartLimit" INTEGER NOT NULL,
    "WindowMinutes" INTEGER NOT NULL,
    "Enabled" INTEGER NOT NULL
);

CREATE TABLE "AlertWebhooks" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AlertWebhooks" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Url" TEXT NOT NULL,
    "Format" TEXT NOT NULL,
    "Enabled" INTEGER NOT NULL
);

CREATE TABLE "Registries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Registries" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Url" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Username" TEXT NULL,
    "ProtectedSecret" TEXT NULL,
    "Namespace" TEXT NULL,
    "PullTool" TEXT NOT NULL
);

CREATE INDEX "IX_AlertFirings_FiredAt" ON "AlertFirings" ("FiredAt");

CREATE UNIQUE INDEX "IX_Registries_Name" ON "Registries" ("Name");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127173944_AlertsAndRegistries', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "AlertRules" ADD "CooldownMinutes" INTEGER NOT NULL DEFAULT 15;

ALTER TABLE "AlertFirings" ADD "Count" INTEGER NOT NULL DEFAULT 1;

ALTER TABLE "AlertFirings" ADD "LastFiredAt" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261202180711_AlertRepeats', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "UpdateWebhooks" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_UpdateWebhooks" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Engine" TEXT NOT NULL,
    "Target" TEXT NOT NULL,
    "SecretHash" TEXT NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "LastCalledAt" INTEGER NULL,
    "LastOutcome" TEXT NULL,
    "RevokedAt" INTEGER NULL
);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261202231133_UpdateWebhooks', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "AlertRules" ADD "ForSeconds" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "AlertRules" ADD "MutedUntil" INTEGER NULL;

ALTER TABLE "AlertFirings" ADD "ResolvedAt" INTEGER NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261203061202_EngineDownAlerts', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "AlertRules" ADD "Pattern" TEXT NULL;

ALTER TABLE "AlertRules" ADD "ThresholdPercent" REAL NOT NULL DEFAULT 0.0;

CREATE TABLE "HistorySeries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_HistorySeries" PRIMARY KEY AUTOINCREMENT,
    "Engine" TEXT NOT NULL,
    "ContainerId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Project" TEXT NULL
);

CREATE TABLE "HistoryPoints" (
    "SeriesId" INTEGER NOT NULL,
    "Resolution" INTEGER NOT NULL,
    "At" INTEGER NOT NULL,
    "CpuPercent" REAL NOT NULL,
    "MemoryBytes" INTEGER NOT NULL,
    "MemoryLimitBytes" INTEGER NOT NULL,
    "NetRxBytesPerSec" REAL NOT NULL,
    "NetTxBytesPerSec" REAL NOT NULL,
    CONSTRAINT "PK_HistoryPoints" PRIMARY KEY ("SeriesId", "Resolution", "At"),
    CONSTRAINT "FK_HistoryPoints_HistorySeries_SeriesId" FOREIGN KEY ("SeriesId") REFERENCES "HistorySeries" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_HistoryPoints_Resolution_At" ON "HistoryPoints" ("Resolution", "At");

CREATE UNIQUE INDEX "IX_HistorySeries_Engine_ContainerId" ON "HistorySeries" ("Engine", "ContainerId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261203072830_ResourceHistoryAndRules', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "DataProtectionKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DataProtectionKeys" PRIMARY KEY AUTOINCREMENT,
    "FriendlyName" TEXT NULL,
    "Xml" TEXT NULL
);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261203124341_SharedKeyRing', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "JobOutcomes" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_JobOutcomes" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Engine" TEXT NOT NULL,
    "Owner" TEXT NOT NULL,
    "OwnerKey" TEXT NOT NULL,
    "Started" INTEGER NOT NULL,
    "Finished" INTEGER NOT NULL,
    "State" TEXT NOT NULL,
    "Outcome" TEXT NOT NULL
);

CREATE INDEX "IX_JobOutcomes_Finished" ON "JobOutcomes" ("Finished");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261203132652_JobOutcomes', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "AlertDeliveries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AlertDeliveries" PRIMARY KEY AUTOINCREMENT,
    "FiringId" INTEGER NOT NULL,
    "WebhookId" INTEGER NOT NULL,
    "Resolved" INTEGER NOT NULL,
    "QueuedAt" INTEGER NOT NULL,
    "SettledAt" INTEGER NULL,
    "Delivered" INTEGER NOT NULL,
    "Error" TEXT NULL,
    CONSTRAINT "FK_AlertDeliveries_AlertFirings_FiringId" FOREIGN KEY ("FiringId") REFERENCES "AlertFirings" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_AlertDeliveries_FiringId" ON "AlertDeliveries" ("FiringId");

CREATE INDEX "IX_AlertDeliveries_SettledAt" ON "AlertDeliveries" ("SettledAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261203135504_AlertDeliveries', '10.0.15');

COMMIT;

