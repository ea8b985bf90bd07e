CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

BEGIN TRANSACTION;
CREATE TABLE "Adjustments" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Adjustments" PRIMARY KEY,
    "Period" TEXT NOT NULL,
    "CostCentre" TEXT NOT NULL,
    "Amount" INTEGER NOT NULL,
    "Currency" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "CorrectsPeriod" TEXT NULL,
    "CreatedBy" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);

CREATE TABLE "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);

CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "DisplayName" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
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
    "LockoutEnd" INTEGER NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL
);

CREATE TABLE "AuditEvents" (
    "Sequence" INTEGER NOT NULL CONSTRAINT "PK_AuditEvents" PRIMARY KEY,
    "Time" INTEGER NOT NULL,
    "Actor" TEXT NOT NULL,
    "ActorName" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "TargetType" TEXT NOT NULL,
    "TargetId" TEXT NOT NULL,
    "Before" TEXT NULL,
    "After" TEXT NULL,
    "PreviousHash" TEXT NOT NULL,
    "Hash" TEXT NOT NULL
);

CREATE TABLE "ClosedPeriods" (
    "Period" TEXT NOT NULL CONSTRAINT "PK_ClosedPeriods" PRIMARY KEY,
    "ClosedAt" INTEGER NOT NULL,
    "ClosedBy" TEXT NOT NULL
);

CREATE TABLE "Models" (
    "Alias" TEXT NOT NULL CONSTRAINT "PK_Models" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "DefaultVersion" TEXT NOT NULL,
    "CanaryVersion" TEXT NULL,
    "CanaryPercent" REAL NULL,
    "Tokenizer" TEXT NULL,
    "Description" TEXT NULL,
    "SortOrder" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);

CREATE TABLE "OpenIddictApplications" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OpenIddictApplications" PRIMARY KEY,
    "ApplicationType" TEXT NULL,
    "ClientId" TEXT NULL,
    "ClientSecret" TEXT NULL,
    "ClientType" TEXT NULL,
    "ConcurrencyToken" TEXT NULL,
    "ConsentType" TEXT NULL,
    "DisplayName" TEXT NULL,
    "DisplayNames" TEXT NULL,
    "JsonWebKeySet" TEXT NULL,
    "Permissions" TEXT NULL,
    "PostLogoutRedirectUris" TEXT NULL,
    "Properties" TEXT NULL,
    "RedirectUris" TEXT NULL,
    "Requirements" TEXT NULL,
    "Settings" TEXT NULL
);

CREATE TABLE "OpenIddictScopes" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OpenIddictScopes" PRIMARY KEY,
    "ConcurrencyToken" TEXT NULL,
    "Description" TEXT NULL,
    "Descriptions" TEXT NULL,
    "DisplayName" TEXT NULL,
    "DisplayNames" TEXT NULL,
    "Name" TEXT NULL,
    "Properties" TEXT NULL,
    "Resources" TEXT NULL
);

CREATE TABLE "Providers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Providers" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "BaseUrl" TEXT NOT NULL,
    "CredentialRef" TEXT NULL,
    "ApiVersion" TEXT NULL,
    "ConnectTimeoutSeconds" INTEGER NOT NULL,
    "FirstByteTimeoutSeconds" INTEGER NOT NULL,
    "StreamIdleTimeoutSeconds" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RowVersion" INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE "ProxyNodes" (
    "NodeId" TEXT NOT NULL CONSTRAINT "PK_ProxyNodes" PRIMARY KEY,
    "HostName" TEXT NOT NULL,
    "Version" TEXT NOT NULL,
    "AppliedRevision" INTEGER NOT NULL,
    "PendingUsageRecords" INTEGER NOT NULL,
    "FirstSeenAt" INTEGER NOT NULL,
    "LastSeenAt" INTEGER NOT NULL,
    "ClientId" TEXT NOT NULL
);

CREATE TABLE "SystemCounters" (
    "Name" TEXT NOT NULL CONSTRAINT "PK_SystemCounters" PRIMARY KEY,
    "Value" INTEGER NOT NULL,
    "Text" TEXT NOT NULL
);

CREATE TABLE "Teams" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Teams" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "CostCentre" TEXT NOT NULL,
    "RequestsPerMinute" INTEGER NULL,
    "TokensPerMinute" INTEGER NULL,
    "MaxConcurrent" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RowVersion" INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE "UsageHourly" (
    "HourStart" INTEGER NOT NULL,
    "TeamId" TEXT NOT NULL,
    "SubscriptionId" TEXT NOT NULL,
    "ModelVersion" TEXT NOT NULL,
    "Currency" TEXT NOT NULL,
    "CostCentre" TEXT NOT NULL,
    "Requests" INTEGER NOT NULL,
    "InputTokens" INTEGER NOT NULL,
    "CachedInputTokens" INTEGER NOT NULL,
    "OutputTokens" INTEGER NOT NULL,
    "Cost" INTEGER NOT NULL,
    CONSTRAINT "PK_UsageHourly" PRIMARY KEY ("HourStart", "TeamId", "SubscriptionId", "ModelVersion", "Currency")
);

CREATE TABLE "UsageLedger" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_UsageLedger" PRIMARY KEY AUTOINCREMENT,
    "RequestId" TEXT NOT NULL,
    "Timestamp" INTEGER NOT NULL,
    "ProxyNode" TEXT NULL,
    "KeyId" TEXT NOT NULL,
    "TeamId" TEXT NOT NULL,
    "CostCentre" TEXT NOT NULL,
    "SubscriptionId" TEXT NULL,
    "ModelAlias" TEXT NOT NULL,
    "ModelVersion" TEXT NOT NULL,
    "DeploymentId" TEXT NULL,
    "ProviderId" TEXT NULL,
    "Operation" TEXT NOT NULL,
    "Streamed" INTEGER NOT NULL,
    "InputTokens" INTEGER NOT NULL,
    "CachedInputTokens" INTEGER NOT NULL,
    "OutputTokens" INTEGER NOT NULL,
    "Cost" INTEGER NOT NULL,
    "Currency" TEXT NOT NULL,
    "LatencyMs" REAL NOT NULL,
    "TimeToFirstTokenMs" REAL NULL,
    "Status" INTEGER NOT NULL,
    "Estimated" INTEGER NOT NULL,
    "Outcome" TEXT NOT NULL,
    "BillingPeriod" TEXT NOT NULL,
    "IngestedAt" INTEGER NOT NULL
);

CREATE TABLE "UsageQuarantine" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_UsageQuarantine" PRIMARY KEY AUTOINCREMENT,
    "BatchId" TEXT NOT NULL,
    "NodeId" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "Payload" TEXT NOT NULL,
    "ReceivedAt" INTEGER NOT NULL
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

CREATE TABLE "StatementLines" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_StatementLines" PRIMARY KEY AUTOINCREMENT,
    "Period" TEXT NOT NULL,
    "CostCentre" TEXT NOT NULL,
    "TeamId" TEXT NOT NULL,
    "ModelVersion" TEXT NOT NULL,
    "Currency" TEXT NOT NULL,
    "Requests" INTEGER NOT NULL,
    "InputTokens" INTEGER NOT NULL,
    "CachedInputTokens" INTEGER NOT NULL,
    "OutputTokens" INTEGER NOT NULL,
    "Cost" INTEGER NOT NULL,
    CONSTRAINT "FK_StatementLines_ClosedPeriods_Period" FOREIGN KEY ("Period") REFERENCES "ClosedPeriods" ("Period") ON DELETE RESTRICT
);

CREATE TABLE "ModelVersions" (
    "Name" TEXT NOT NULL CONSTRAINT "PK_ModelVersions" PRIMARY KEY,
    "ModelAlias" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "InputPricePerMillion" INTEGER NOT NULL,
    "CachedInputPricePerMillion" INTEGER NOT NULL,
    "OutputPricePerMillion" INTEGER NOT NULL,
    "Currency" TEXT NOT NULL,
    "MaxDataClassification" TEXT NOT NULL,
    "DeprecatedAt" INTEGER NULL,
    "SunsetAt" INTEGER NULL,
    "Successor" TEXT NULL,
    "MaxOutputTokens" INTEGER NULL,
    "ContextWindow" INTEGER NULL,
    "SortOrder" INTEGER NOT NULL,
    "RowVersion" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "FK_ModelVersions_Models_ModelAlias" FOREIGN KEY ("ModelAlias") REFERENCES "Models" ("Alias") ON DELETE RESTRICT
);

CREATE TABLE "OpenIddictAuthorizations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OpenIddictAuthorizations" PRIMARY KEY,
    "ApplicationId" TEXT NULL,
    "ConcurrencyToken" TEXT NULL,
    "CreationDate" TEXT NULL,
    "Properties" TEXT NULL,
    "Scopes" TEXT NULL,
    "Status" TEXT NULL,
    "Subject" TEXT NULL,
    "Type" TEXT NULL,
    CONSTRAINT "FK_OpenIddictAuthorizations_OpenIddictApplications_ApplicationId" FOREIGN KEY ("ApplicationId") REFERENCES "OpenIddictApplications" ("Id")
);

CREATE TABLE "AccessRequests" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AccessRequests" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "TeamId" TEXT NOT NULL,
    "ModelAlias" TEXT NOT NULL,
    "SubscriptionId" TEXT NULL,
    "Justification" TEXT NOT NULL,
    "RequestsPerMinute" INTEGER NULL,
    "TokensPerMinute" INTEGER NULL,
    "MaxConcurrent" INTEGER NULL,
    "MonthlyTokens" INTEGER NULL,
    "MonthlyAmount" INTEGER NULL,
    "Currency" TEXT NULL,
    "DataClassification" TEXT NOT NULL,
    "EndsAt" INTEGER NULL,
    "Status" TEXT NOT NULL,
    "RequestedBy" TEXT NOT NULL,
    "RequestedByName" TEXT NOT NULL,
    "RequestedAt" INTEGER NOT NULL,
    "DecidedBy" TEXT NULL,
    "DecidedByName" TEXT NULL,
    "DecidedAt" INTEGER NULL,
    "DecisionReason" TEXT NULL,
    "ResultSubscriptionId" TEXT NULL,
    "RowVersion" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "FK_AccessRequests_Teams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "Teams" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ApiKeys" (
    "KeyId" TEXT NOT NULL CONSTRAINT "PK_ApiKeys" PRIMARY KEY,
    "Hash" TEXT NOT NULL,
    "DisplayPrefix" TEXT NOT NULL,
    "TeamId" TEXT NOT NULL,
    "Application" TEXT NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "AllSubscriptions" INTEGER NOT NULL,
    "RequestsPerMinute" INTEGER NULL,
    "TokensPerMinute" INTEGER NULL,
    "MaxConcurrent" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "RevokedAt" INTEGER NULL,
    "RevokedBy" TEXT NULL,
    "RotatedFrom" TEXT NULL,
    "ReplacedBy" TEXT NULL,
    "RowVersion" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "FK_ApiKeys_Teams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "Teams" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Subscriptions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Subscriptions" PRIMARY KEY,
    "TeamId" TEXT NOT NULL,
    "ModelAlias" TEXT NOT NULL,
    "PinnedVersion" TEXT NULL,
    "RequestsPerMinute" INTEGER NULL,
    "TokensPerMinute" INTEGER NULL,
    "MaxConcurrent" INTEGER NULL,
    "MonthlyTokens" INTEGER NULL,
    "MonthlyAmount" INTEGER NULL,
    "Currency" TEXT NULL,
    "OverLimit" TEXT NOT NULL,
    "MaxOutputTokens" INTEGER NULL,
    "EndsAt" INTEGER NULL,
    "Status" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ApprovedBy" TEXT NOT NULL,
    "AccessRequestId" TEXT NULL,
    "RowVersion" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "FK_Subscriptions_Models_ModelAlias" FOREIGN KEY ("ModelAlias") REFERENCES "Models" ("Alias") ON DELETE RESTRICT,
    CONSTRAINT "FK_Subscriptions_Teams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "Teams" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "TeamMembers" (
    "TeamId" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "AddedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_TeamMembers" PRIMARY KEY ("TeamId", "UserId"),
    CONSTRAINT "FK_TeamMembers_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_TeamMembers_Teams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "Teams" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Deployments" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Deployments" PRIMARY KEY,
    "VersionName" TEXT NOT NULL,
    "ProviderId" TEXT NOT NULL,
    "UpstreamModel" TEXT NOT NULL,
    "Weight" INTEGER NOT NULL,
    "Priority" INTEGER NOT NULL,
    "Region" TEXT NULL,
    "SortOrder" INTEGER NOT NULL,
    CONSTRAINT "FK_Deployments_ModelVersions_VersionName" FOREIGN KEY ("VersionName") REFERENCES "ModelVersions" ("Name") ON DELETE CASCADE,
    CONSTRAINT "FK_Deployments_Providers_ProviderId" FOREIGN KEY ("ProviderId") REFERENCES "Providers" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "OpenIddictTokens" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OpenIddictTokens" PRIMARY KEY,
    "ApplicationId" TEXT NULL,
    "AuthorizationId" TEXT NULL,
    "ConcurrencyToken" TEXT NULL,
    "CreationDate" TEXT NULL,
    "ExpirationDate" TEXT NULL,
    "Payload" TEXT NULL,
    "Properties" TEXT NULL,
    "RedemptionDate" TEXT NULL,
    "ReferenceId" TEXT NULL,
    "Status" TEXT NULL,
    "Subject" TEXT NULL,
    "Type" TEXT NULL,
    CONSTRAINT "FK_OpenIddictTokens_OpenIddictApplications_ApplicationId" FOREIGN KEY ("ApplicationId") REFERENCES "OpenIddictApplications" ("Id"),
    CONSTRAINT "FK_OpenIddictTokens_OpenIddictAuthorizations_AuthorizationId" FOREIGN KEY ("AuthorizationId") REFERENCES "OpenIddictAuthorizations" ("Id")
);

CREATE TABLE "ApiKeySubscriptions" (
    "KeyId" TEXT NOT NULL,
    "SubscriptionId" TEXT NOT NULL,
    CONSTRAINT "PK_ApiKeySubscriptions" PRIMARY KEY ("KeyId", "SubscriptionId"),
    CONSTRAINT "FK_ApiKeySubscriptions_ApiKeys_KeyId" FOREIGN KEY ("KeyId") REFERENCES "ApiKeys" ("KeyId") ON DELETE CASCADE,
    CONSTRAINT "FK_ApiKeySubscriptions_Subscriptions_SubscriptionId" FOREIGN KEY ("SubscriptionId") REFERENCES "Subscriptions" ("Id") ON DELETE CASCADE
);

INSERT INTO "AspNetRoles" ("Id", "ConcurrencyStamp", "Name", "NormalizedName")
VALUES ('role-approver', 'seed-approver', 'Approver', 'APPROVER');
SELECT changes();

INSERT INTO "AspNetRoles" ("Id", "ConcurrencyStamp", "Name", "NormalizedName")
VALUES ('role-developer', 'seed-developer', 'Developer', 'DEVELOPER');
SELECT changes();

INSERT INTO "AspNetRoles" ("Id", "ConcurrencyStamp", "Name", "NormalizedName")
VALUES ('role-financeanalyst', 'seed-financeanalyst', 'FinanceAnalyst', 'FINANCEANALYST');
SELECT changes();

INSERT INTO "AspNetRoles" ("Id", "ConcurrencyStamp", "Name", "NormalizedName")
VALUES ('role-platformadmin', 'seed-platformadmin', 'PlatformAdmin', 'PLATFORMADMIN');
SELECT changes();


INSERT INTO "SystemCounters" ("Name", "Text", "Value")
VALUES ('audit', '0000000000000000000000000000000000000000000000000000000000000000', 0);
SELECT changes();

INSERT INTO "SystemCounters" ("Name", "Text", "Value")
VALUES ('billing', '', 0);
SELECT changes();

INSERT INTO "SystemCounters" ("Name", "Text", "Value")
VALUES ('revision', '', 1);
SELECT changes();

INSERT INTO "SystemCounters" ("Name", "Text", "Value")
VALUES ('usage-mark', '', 0);
SELECT changes();


CREATE INDEX "IX_AccessRequests_Status_RequestedAt" ON "AccessRequests" ("Status", "RequestedAt");

CREATE INDEX "IX_AccessRequests_TeamId" ON "AccessRequests" ("TeamId");

CREATE INDEX "IX_Adjustments_Period" ON "Adjustments" ("Period");

CREATE UNIQUE INDEX "IX_ApiKeys_Hash" ON "ApiKeys" ("Hash");

CREATE INDEX "IX_ApiKeys_TeamId" ON "ApiKeys" ("TeamId");

CREATE INDEX "IX_ApiKeySubscriptions_SubscriptionId" ON "ApiKeySubscriptions" ("SubscriptionId");

CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");

CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");

CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");

CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");

CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");

CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");

CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");

CREATE INDEX "IX_AuditEvents_Actor" ON "AuditEvents" ("Actor");

CREATE INDEX "IX_AuditEvents_TargetType_TargetId" ON "AuditEvents" ("TargetType", "TargetId");

CREATE INDEX "IX_AuditEvents_Time" ON "AuditEvents" ("Time");

CREATE INDEX "IX_Deployments_ProviderId" ON "Deployments" ("ProviderId");

CREATE INDEX "IX_Deployments_VersionName" ON "Deployments" ("VersionName");

CREATE INDEX "IX_ModelVersions_ModelAlias" ON "ModelVersions" ("ModelAlias");

CREATE UNIQUE INDEX "IX_OpenIddictApplications_ClientId" ON "OpenIddictApplications" ("ClientId");

CREATE INDEX "IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type" ON "OpenIddictAuthorizations" ("ApplicationId", "Status", "Subject", "Type");

CREATE UNIQUE INDEX "IX_OpenIddictScopes_Name" ON "OpenIddictScopes" ("Name");

CREATE INDEX "IX_OpenIddictTokens_ApplicationId_Status_Subject_Type" ON "OpenIddictTokens" ("ApplicationId", "Status", "Subject", "Type");

CREATE INDEX "IX_OpenIddictTokens_AuthorizationId" ON "OpenIddictTokens" ("AuthorizationId");

CREATE UNIQUE INDEX "IX_OpenIddictTokens_ReferenceId" ON "OpenIddictTokens" ("ReferenceId");

CREATE INDEX "IX_ProxyNodes_LastSeenAt" ON "ProxyNodes" ("LastSeenAt");

CREATE INDEX "IX_StatementLines_Period_CostCentre" ON "StatementLines" ("Period", "CostCentre");

CREATE INDEX "IX_Subscriptions_ModelAlias" ON "Subscriptions" ("ModelAlias");

CREATE INDEX "IX_Subscriptions_TeamId_ModelAlias" ON "Subscriptions" ("TeamId", "ModelAlias");

CREATE INDEX "IX_TeamMembers_UserId" ON "TeamMembers" ("UserId");

CREATE INDEX "IX_Teams_CostCentre" ON "Teams" ("CostCentre");

CREATE INDEX "IX_UsageHourly_SubscriptionId_HourStart" ON "UsageHourly" ("SubscriptionId", "HourStart");

CREATE INDEX "IX_UsageLedger_BillingPeriod_CostCentre" ON "UsageLedger" ("BillingPeriod", "CostCentre");

CREATE UNIQUE INDEX "IX_UsageLedger_RequestId" ON "UsageLedger" ("RequestId");

CREATE INDEX "IX_UsageLedger_TeamId_Timestamp" ON "UsageLedger" ("TeamId", "Timestamp");

CREATE INDEX "IX_UsageLedger_Timestamp" ON "UsageLedger" ("Timestamp");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126040151_Initial', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
UPDATE "UsageLedger" SET "Cost" = "Cost" * 1000000;

UPDATE "UsageHourly" SET "Cost" = "Cost" * 1000000;

UPDATE "StatementLines" SET "Cost" = "Cost" * 1000000;

UPDATE "Adjustments" SET "Amount" = "Amount" * 1000000;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126064213_LedgerMoneyPrecision', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "ProposedChanges" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ProposedChanges" PRIMARY KEY,
    "Method" TEXT NOT NULL,
    "RoutePattern" TEXT NOT NULL,
    "Path" TEXT NOT NULL,
    "RouteValues" TEXT NOT NULL,
    "Body" TEXT NULL,
    "Summary" TEXT NOT NULL,
    "Effects" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "RequestedBy" TEXT NOT NULL,
    "RequestedByName" TEXT NOT NULL,
    "RequestedAt" INTEGER NOT NULL,
    "DecidedBy" TEXT NULL,
    "DecidedByName" TEXT NULL,
    "DecidedAt" INTEGER NULL,
    "Reason" TEXT NULL,
    "ResultStatus" INTEGER NULL,
    "ResultBody" TEXT NULL
);

CREATE INDEX "IX_ProposedChanges_Status_RequestedAt" ON "ProposedChanges" ("Status", "RequestedAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261128152136_ProposedChanges', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "ApiKeys" ADD "AllowedNetworks" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261128155222_KeyNetworks', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE INDEX "IX_UsageLedger_KeyId_Timestamp" ON "UsageLedger" ("KeyId", "Timestamp");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261128161144_KeyLastUse', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Providers" ADD "SuspendReason" TEXT NULL;

ALTER TABLE "Providers" ADD "SuspendedAt" INTEGER NULL;

ALTER TABLE "Providers" ADD "SuspendedBy" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261128161700_ProviderSuspension', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "ModelVersions" ADD "ContentGuard" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261128173145_VersionContentGuard', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "WebhookCursors" (
    "Name" TEXT NOT NULL CONSTRAINT "PK_WebhookCursors" PRIMARY KEY,
    "Sequence" INTEGER NOT NULL,
    "LeaseOwner" TEXT NULL,
    "LeaseUntil" INTEGER NULL,
    "Failures" INTEGER NOT NULL,
    "NextAttemptAt" INTEGER NULL,
    "LastError" TEXT NULL,
    "LastDeliveredAt" INTEGER NULL
);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261128182516_WebhookCursors', '10.0.15');

COMMIT;

