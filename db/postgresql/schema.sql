CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" character varying(150) NOT NULL,
    "ProductVersion" character varying(32) NOT NULL,
    CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY ("MigrationId")
);

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "Adjustments" (
        "Id" character varying(64) NOT NULL,
        "Period" character varying(7) NOT NULL,
        "CostCentre" character varying(64) NOT NULL,
        "Amount" numeric(18,6) NOT NULL,
        "Currency" character varying(3) NOT NULL,
        "Reason" character varying(2000) NOT NULL,
        "CorrectsPeriod" character varying(7),
        "CreatedBy" character varying(450) NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_Adjustments" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "AspNetRoles" (
        "Id" text NOT NULL,
        "Name" character varying(256),
        "NormalizedName" character varying(256),
        "ConcurrencyStamp" text,
        CONSTRAINT "PK_AspNetRoles" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "AspNetUsers" (
        "Id" text NOT NULL,
        "DisplayName" character varying(200) NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        "UserName" character varying(256),
        "NormalizedUserName" character varying(256),
        "Email" character varying(256),
        "NormalizedEmail" character varying(256),
        "EmailConfirmed" boolean NOT NULL,
        "PasswordHash" text,
        "SecurityStamp" text,
        "ConcurrencyStamp" text,
        "PhoneNumber" text,
        "PhoneNumberConfirmed" boolean NOT NULL,
        "TwoFactorEnabled" boolean NOT NULL,
        "LockoutEnd" timestamp with time zone,
        "LockoutEnabled" boolean NOT NULL,
        "AccessFailedCount" integer NOT NULL,
        CONSTRAINT "PK_AspNetUsers" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "AuditEvents" (
        "Sequence" bigint NOT NULL,
        "Time" timestamp with time zone NOT NULL,
        "Actor" character varying(450) NOT NULL,
        "ActorName" character varying(256) NOT NULL,
        "Action" character varying(64) NOT NULL,
        "TargetType" character varying(64) NOT NULL,
        "TargetId" character varying(256) NOT NULL,
        "Before" text,
        "After" text,
        "PreviousHash" character varying(64) NOT NULL,
        "Hash" character varying(64) NOT NULL,
        CONSTRAINT "PK_AuditEvents" PRIMARY KEY ("Sequence")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "ClosedPeriods" (
        "Period" character varying(7) NOT NULL,
        "ClosedAt" timestamp with time zone NOT NULL,
        "ClosedBy" character varying(450) NOT NULL,
        CONSTRAINT "PK_ClosedPeriods" PRIMARY KEY ("Period")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "Models" (
        "Alias" character varying(128) NOT NULL,
        "Kind" character varying(16) NOT NULL,
        "DefaultVersion" character varying(128) NOT NULL,
        "CanaryVersion" character varying(128),
        "CanaryPercent" double precision,
        "Tokenizer" character varying(32),
        "Description" character varying(1000),
        "SortOrder" integer NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_Models" PRIMARY KEY ("Alias")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "OpenIddictApplications" (
        "Id" text NOT NULL,
        "ApplicationType" character varying(50),
        "ClientId" character varying(100),
        "ClientSecret" text,
        "ClientType" character varying(50),
        "ConcurrencyToken" character varying(50),
        "ConsentType" character varying(50),
        "DisplayName" text,
        "DisplayNames" text,
        "JsonWebKeySet" text,
        "Permissions" text,
        "PostLogoutRedirectUris" text,
        "Properties" text,
        "RedirectUris" text,
        "Requirements" text,
        "Settings" text,
        CONSTRAINT "PK_OpenIddictApplications" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "OpenIddictScopes" (
        "Id" text NOT NULL,
        "ConcurrencyToken" character varying(50),
        "Description" text,
        "Descriptions" text,
        "DisplayName" text,
        "DisplayNames" text,
        "Name" character varying(200),
        "Properties" text,
        "Resources" text,
        CONSTRAINT "PK_OpenIddictScopes" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "Providers" (
        "Id" character varying(128) NOT NULL,
        "Kind" character varying(32) NOT NULL,
        "BaseUrl" character varying(2048) NOT NULL,
        "CredentialRef" character varying(512),
        "ApiVersion" character varying(64),
        "ConnectTimeoutSeconds" integer NOT NULL,
        "FirstByteTimeoutSeconds" integer NOT NULL,
        "StreamIdleTimeoutSeconds" integer NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_Providers" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "ProxyNodes" (
        "NodeId" character varying(128) NOT NULL,
        "HostName" character varying(256) NOT NULL,
        "Version" character varying(64) NOT NULL,
        "AppliedRevision" bigint NOT NULL,
        "PendingUsageRecords" bigint NOT NULL,
        "FirstSeenAt" timestamp with time zone NOT NULL,
        "LastSeenAt" timestamp with time zone NOT NULL,
        "ClientId" character varying(128) NOT NULL,
        CONSTRAINT "PK_ProxyNodes" PRIMARY KEY ("NodeId")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "SystemCounters" (
        "Name" character varying(32) NOT NULL,
        "Value" bigint NOT NULL,
        "Text" character varying(128) NOT NULL,
        CONSTRAINT "PK_SystemCounters" PRIMARY KEY ("Name")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "Teams" (
        "Id" character varying(128) NOT NULL,
        "Name" character varying(200) NOT NULL,
        "CostCentre" character varying(64) NOT NULL,
        "RequestsPerMinute" integer,
        "TokensPerMinute" integer,
        "MaxConcurrent" integer,
        "CreatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_Teams" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "UsageHourly" (
        "HourStart" timestamp with time zone NOT NULL,
        "TeamId" character varying(128) NOT NULL,
        "SubscriptionId" character varying(128) NOT NULL,
        "ModelVersion" character varying(128) NOT NULL,
        "Currency" character varying(3) NOT NULL,
        "CostCentre" character varying(64) NOT NULL,
        "Requests" bigint NOT NULL,
        "InputTokens" bigint NOT NULL,
        "CachedInputTokens" bigint NOT NULL,
        "OutputTokens" bigint NOT NULL,
        "Cost" numeric(18,6) NOT NULL,
        CONSTRAINT "PK_UsageHourly" PRIMARY KEY ("HourStart", "TeamId", "SubscriptionId", "ModelVersion", "Currency")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "UsageLedger" (
        "Id" bigint GENERATED BY DEFAULT AS IDENTITY,
        "RequestId" character varying(128) NOT NULL,
        "Timestamp" timestamp with time zone NOT NULL,
        "ProxyNode" character varying(128),
        "KeyId" character varying(64) NOT NULL,
        "TeamId" character varying(128) NOT NULL,
        "CostCentre" character varying(64) NOT NULL,
        "SubscriptionId" character varying(128),
        "ModelAlias" character varying(128) NOT NULL,
        "ModelVersion" character varying(128) NOT NULL,
        "DeploymentId" character varying(128),
        "ProviderId" character varying(128),
        "Operation" character varying(32) NOT NULL,
        "Streamed" boolean NOT NULL,
        "InputTokens" bigint NOT NULL,
        "CachedInputTokens" bigint NOT NULL,
        "OutputTokens" bigint NOT NULL,
        "Cost" numeric(18,6) NOT NULL,
        "Currency" character varying(3) NOT NULL,
        "LatencyMs" double precision NOT NULL,
        "TimeToFirstTokenMs" double precision,
        "Status" integer NOT NULL,
        "Estimated" boolean NOT NULL,
        "Outcome" character varying(32) NOT NULL,
        "BillingPeriod" character varying(7) NOT NULL,
        "IngestedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_UsageLedger" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "UsageQuarantine" (
        "Id" bigint GENERATED BY DEFAULT AS IDENTITY,
        "BatchId" character varying(256) NOT NULL,
        "NodeId" character varying(128) NOT NULL,
        "Reason" character varying(1000) NOT NULL,
        "Payload" text NOT NULL,
        "ReceivedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_UsageQuarantine" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "AspNetRoleClaims" (
        "Id" integer GENERATED BY DEFAULT AS IDENTITY,
        "RoleId" text NOT NULL,
        "ClaimType" text,
        "ClaimValue" text,
        CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "AspNetUserClaims" (
        "Id" integer GENERATED BY DEFAULT AS IDENTITY,
        "UserId" text NOT NULL,
        "ClaimType" text,
        "ClaimValue" text,
        CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "AspNetUserLogins" (
        "LoginProvider" text NOT NULL,
        "ProviderKey" text NOT NULL,
        "ProviderDisplayName" text,
        "UserId" text NOT NULL,
        CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
        CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "AspNetUserRoles" (
        "UserId" text NOT NULL,
        "RoleId" text NOT NULL,
        CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
        CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
        CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "AspNetUserTokens" (
        "UserId" text NOT NULL,
        "LoginProvider" text NOT NULL,
        "Name" text NOT NULL,
        "Value" text,
        CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
        CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "StatementLines" (
        "Id" bigint GENERATED BY DEFAULT AS IDENTITY,
        "Period" character varying(7) NOT NULL,
        "CostCentre" character varying(64) NOT NULL,
        "TeamId" character varying(128) NOT NULL,
        "ModelVersion" character varying(128) NOT NULL,
        "Currency" character varying(3) NOT NULL,
        "Requests" bigint NOT NULL,
        "InputTokens" bigint NOT NULL,
        "CachedInputTokens" bigint NOT NULL,
        "OutputTokens" bigint NOT NULL,
        "Cost" numeric(18,6) NOT NULL,
        CONSTRAINT "PK_StatementLines" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_StatementLines_ClosedPeriods_Period" FOREIGN KEY ("Period") REFERENCES "ClosedPeriods" ("Period") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "ModelVersions" (
        "Name" character varying(128) NOT NULL,
        "ModelAlias" character varying(128) NOT NULL,
        "Status" character varying(16) NOT NULL,
        "InputPricePerMillion" numeric(18,6) NOT NULL,
        "CachedInputPricePerMillion" numeric(18,6) NOT NULL,
        "OutputPricePerMillion" numeric(18,6) NOT NULL,
        "Currency" character varying(3) NOT NULL,
        "MaxDataClassification" character varying(16) NOT NULL,
        "DeprecatedAt" timestamp with time zone,
        "SunsetAt" timestamp with time zone,
        "Successor" character varying(128),
        "MaxOutputTokens" integer,
        "ContextWindow" integer,
        "SortOrder" integer NOT NULL,
        CONSTRAINT "PK_ModelVersions" PRIMARY KEY ("Name"),
        CONSTRAINT "FK_ModelVersions_Models_ModelAlias" FOREIGN KEY ("ModelAlias") REFERENCES "Models" ("Alias") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "OpenIddictAuthorizations" (
        "Id" text NOT NULL,
        "ApplicationId" text,
        "ConcurrencyToken" character varying(50),
        "CreationDate" timestamp with time zone,
        "Properties" text,
        "Scopes" text,
        "Status" character varying(50),
        "Subject" character varying(400),
        "Type" character varying(50),
        CONSTRAINT "PK_OpenIddictAuthorizations" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_OpenIddictAuthorizations_OpenIddictApplications_Application~" FOREIGN KEY ("ApplicationId") REFERENCES "OpenIddictApplications" ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "AccessRequests" (
        "Id" character varying(64) NOT NULL,
        "Kind" character varying(16) NOT NULL,
        "TeamId" character varying(128) NOT NULL,
        "ModelAlias" character varying(128) NOT NULL,
        "SubscriptionId" character varying(128),
        "Justification" character varying(2000) NOT NULL,
        "RequestsPerMinute" integer,
        "TokensPerMinute" integer,
        "MaxConcurrent" integer,
        "MonthlyTokens" bigint,
        "MonthlyAmount" numeric(18,6),
        "Currency" character varying(3),
        "DataClassification" character varying(16) NOT NULL,
        "EndsAt" timestamp with time zone,
        "Status" character varying(16) NOT NULL,
        "RequestedBy" character varying(450) NOT NULL,
        "RequestedByName" character varying(256) NOT NULL,
        "RequestedAt" timestamp with time zone NOT NULL,
        "DecidedBy" character varying(450),
        "DecidedByName" character varying(256),
        "DecidedAt" timestamp with time zone,
        "DecisionReason" character varying(2000),
        "ResultSubscriptionId" character varying(128),
        CONSTRAINT "PK_AccessRequests" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_AccessRequests_Teams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "Teams" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "ApiKeys" (
        "KeyId" character(12) NOT NULL,
        "Hash" character(64) NOT NULL,
        "DisplayPrefix" character varying(32) NOT NULL,
        "TeamId" character varying(128) NOT NULL,
        "Application" character varying(200) NOT NULL,
        "ExpiresAt" timestamp with time zone NOT NULL,
        "Status" character varying(16) NOT NULL,
        "AllSubscriptions" boolean NOT NULL,
        "RequestsPerMinute" integer,
        "TokensPerMinute" integer,
        "MaxConcurrent" integer,
        "CreatedAt" timestamp with time zone NOT NULL,
        "CreatedBy" character varying(450) NOT NULL,
        "RevokedAt" timestamp with time zone,
        "RevokedBy" character varying(450),
        "RotatedFrom" character varying(12),
        "ReplacedBy" character varying(12),
        CONSTRAINT "PK_ApiKeys" PRIMARY KEY ("KeyId"),
        CONSTRAINT "FK_ApiKeys_Teams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "Teams" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "Subscriptions" (
        "Id" character varying(128) NOT NULL,
        "TeamId" character varying(128) NOT NULL,
        "ModelAlias" character varying(128) NOT NULL,
        "PinnedVersion" character varying(128),
        "RequestsPerMinute" integer,
        "TokensPerMinute" integer,
        "MaxConcurrent" integer,
        "MonthlyTokens" bigint,
        "MonthlyAmount" numeric(18,6),
        "Currency" character varying(3),
        "OverLimit" character varying(16) NOT NULL,
        "MaxOutputTokens" integer,
        "EndsAt" timestamp with time zone,
        "Status" character varying(16) NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        "ApprovedBy" character varying(450) NOT NULL,
        "AccessRequestId" character varying(64),
        CONSTRAINT "PK_Subscriptions" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_Subscriptions_Models_ModelAlias" FOREIGN KEY ("ModelAlias") REFERENCES "Models" ("Alias") ON DELETE RESTRICT,
        CONSTRAINT "FK_Subscriptions_Teams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "Teams" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "TeamMembers" (
        "TeamId" character varying(128) NOT NULL,
        "UserId" character varying(450) NOT NULL,
        "Role" character varying(16) NOT NULL,
        "AddedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_TeamMembers" PRIMARY KEY ("TeamId", "UserId"),
        CONSTRAINT "FK_TeamMembers_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
        CONSTRAINT "FK_TeamMembers_Teams_TeamId" FOREIGN KEY ("TeamId") REFERENCES "Teams" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "Deployments" (
        "Id" character varying(128) NOT NULL,
        "VersionName" character varying(128) NOT NULL,
        "ProviderId" character varying(128) NOT NULL,
        "UpstreamModel" character varying(256) NOT NULL,
        "Weight" integer NOT NULL,
        "Priority" integer NOT NULL,
        "Region" character varying(64),
        "SortOrder" integer NOT NULL,
        CONSTRAINT "PK_Deployments" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_Deployments_ModelVersions_VersionName" FOREIGN KEY ("VersionName") REFERENCES "ModelVersions" ("Name") ON DELETE CASCADE,
        CONSTRAINT "FK_Deployments_Providers_ProviderId" FOREIGN KEY ("ProviderId") REFERENCES "Providers" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "OpenIddictTokens" (
        "Id" text NOT NULL,
        "ApplicationId" text,
        "AuthorizationId" text,
        "ConcurrencyToken" character varying(50),
        "CreationDate" timestamp with time zone,
        "ExpirationDate" timestamp with time zone,
        "Payload" text,
        "Properties" text,
        "RedemptionDate" timestamp with time zone,
        "ReferenceId" character varying(100),
        "Status" character varying(50),
        "Subject" character varying(400),
        "Type" character varying(150),
        CONSTRAINT "PK_OpenIddictTokens" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_OpenIddictTokens_OpenIddictApplications_ApplicationId" FOREIGN KEY ("ApplicationId") REFERENCES "OpenIddictApplications" ("Id"),
        CONSTRAINT "FK_OpenIddictTokens_OpenIddictAuthorizations_AuthorizationId" FOREIGN KEY ("AuthorizationId") REFERENCES "OpenIddictAuthorizations" ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE TABLE "ApiKeySubscriptions" (
        "KeyId" character(12) NOT NULL,
        "SubscriptionId" character varying(128) NOT NULL,
        CONSTRAINT "PK_ApiKeySubscriptions" PRIMARY KEY ("KeyId", "SubscriptionId"),
        CONSTRAINT "FK_ApiKeySubscriptions_ApiKeys_KeyId" FOREIGN KEY ("KeyId") REFERENCES "ApiKeys" ("KeyId") ON DELETE CASCADE,
        CONSTRAINT "FK_ApiKeySubscriptions_Subscriptions_SubscriptionId" FOREIGN KEY ("SubscriptionId") REFERENCES "Subscriptions" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    INSERT INTO "AspNetRoles" ("Id", "ConcurrencyStamp", "Name", "NormalizedName")
    VALUES ('role-approver', 'seed-approver', 'Approver', 'APPROVER');
    INSERT INTO "AspNetRoles" ("Id", "ConcurrencyStamp", "Name", "NormalizedName")
    VALUES ('role-developer', 'seed-developer', 'Developer', 'DEVELOPER');
    INSERT INTO "AspNetRoles" ("Id", "ConcurrencyStamp", "Name", "NormalizedName")
    VALUES ('role-financeanalyst', 'seed-financeanalyst', 'FinanceAnalyst', 'FINANCEANALYST');
    INSERT INTO "AspNetRoles" ("Id", "ConcurrencyStamp", "Name", "NormalizedName")
    VALUES ('role-platformadmin', 'seed-platformadmin', 'PlatformAdmin', 'PLATFORMADMIN');
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    INSERT INTO "SystemCounters" ("Name", "Text", "Value")
    VALUES ('audit', '0000000000000000000000000000000000000000000000000000000000000000', 0);
    INSERT INTO "SystemCounters" ("Name", "Text", "Value")
    VALUES ('billing', '', 0);
    INSERT INTO "SystemCounters" ("Name", "Text", "Value")
    VALUES ('revision', '', 1);
    INSERT INTO "SystemCounters" ("Name", "Text", "Value")
    VALUES ('usage-mark', '', 0);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_AccessRequests_Status_RequestedAt" ON "AccessRequests" ("Status", "RequestedAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_AccessRequests_TeamId" ON "AccessRequests" ("TeamId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_Adjustments_Period" ON "Adjustments" ("Period");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE UNIQUE INDEX "IX_ApiKeys_Hash" ON "ApiKeys" ("Hash");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_ApiKeys_TeamId" ON "ApiKeys" ("TeamId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_ApiKeySubscriptions_SubscriptionId" ON "ApiKeySubscriptions" ("SubscriptionId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_AuditEvents_Actor" ON "AuditEvents" ("Actor");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_AuditEvents_TargetType_TargetId" ON "AuditEvents" ("TargetType", "TargetId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_AuditEvents_Time" ON "AuditEvents" ("Time");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_Deployments_ProviderId" ON "Deployments" ("ProviderId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_Deployments_VersionName" ON "Deployments" ("VersionName");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_ModelVersions_ModelAlias" ON "ModelVersions" ("ModelAlias");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE UNIQUE INDEX "IX_OpenIddictApplications_ClientId" ON "OpenIddictApplications" ("ClientId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type" ON "OpenIddictAuthorizations" ("ApplicationId", "Status", "Subject", "Type");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE UNIQUE INDEX "IX_OpenIddictScopes_Name" ON "OpenIddictScopes" ("Name");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_OpenIddictTokens_ApplicationId_Status_Subject_Type" ON "OpenIddictTokens" ("ApplicationId", "Status", "Subject", "Type");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_OpenIddictTokens_AuthorizationId" ON "OpenIddictTokens" ("AuthorizationId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE UNIQUE INDEX "IX_OpenIddictTokens_ReferenceId" ON "OpenIddictTokens" ("ReferenceId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_ProxyNodes_LastSeenAt" ON "ProxyNodes" ("LastSeenAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_StatementLines_Period_CostCentre" ON "StatementLines" ("Period", "CostCentre");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_Subscriptions_ModelAlias" ON "Subscriptions" ("ModelAlias");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_Subscriptions_TeamId_ModelAlias" ON "Subscriptions" ("TeamId", "ModelAlias");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_TeamMembers_UserId" ON "TeamMembers" ("UserId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_Teams_CostCentre" ON "Teams" ("CostCentre");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_UsageHourly_SubscriptionId_HourStart" ON "UsageHourly" ("SubscriptionId", "HourStart");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_UsageLedger_BillingPeriod_CostCentre" ON "UsageLedger" ("BillingPeriod", "CostCentre");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE UNIQUE INDEX "IX_UsageLedger_RequestId" ON "UsageLedger" ("RequestId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_UsageLedger_TeamId_Timestamp" ON "UsageLedger" ("TeamId", "Timestamp");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    CREATE INDEX "IX_UsageLedger_Timestamp" ON "UsageLedger" ("Timestamp");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126040204_Initial') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261126040204_Initial', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126064228_LedgerMoneyPrecision') THEN
    ALTER TABLE "UsageLedger" ALTER COLUMN "Cost" TYPE numeric(28,12);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126064228_LedgerMoneyPrecision') THEN
    ALTER TABLE "UsageHourly" ALTER COLUMN "Cost" TYPE numeric(28,12);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126064228_LedgerMoneyPrecision') THEN
    ALTER TABLE "StatementLines" ALTER COLUMN "Cost" TYPE numeric(28,12);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126064228_LedgerMoneyPrecision') THEN
    ALTER TABLE "Adjustments" ALTER COLUMN "Amount" TYPE numeric(28,12);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261126064228_LedgerMoneyPrecision') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261126064228_LedgerMoneyPrecision', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128152140_ProposedChanges') THEN
    CREATE TABLE "ProposedChanges" (
        "Id" character varying(64) NOT NULL,
        "Method" character varying(8) NOT NULL,
        "RoutePattern" character varying(256) NOT NULL,
        "Path" character varying(2048) NOT NULL,
        "RouteValues" character varying(4096) NOT NULL,
        "Body" text,
        "Summary" character varying(2000) NOT NULL,
        "Effects" text NOT NULL,
        "Status" character varying(16) NOT NULL,
        "RequestedBy" character varying(450) NOT NULL,
        "RequestedByName" character varying(256) NOT NULL,
        "RequestedAt" timestamp with time zone NOT NULL,
        "DecidedBy" character varying(450),
        "DecidedByName" character varying(256),
        "DecidedAt" timestamp with time zone,
        "Reason" character varying(2000),
        "ResultStatus" integer,
        "ResultBody" text,
        CONSTRAINT "PK_ProposedChanges" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128152140_ProposedChanges') THEN
    CREATE INDEX "IX_ProposedChanges_Status_RequestedAt" ON "ProposedChanges" ("Status", "RequestedAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128152140_ProposedChanges') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261128152140_ProposedChanges', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128155226_KeyNetworks') THEN
    ALTER TABLE "ApiKeys" ADD "AllowedNetworks" character varying(1024);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128155226_KeyNetworks') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261128155226_KeyNetworks', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128161148_KeyLastUse') THEN
    CREATE INDEX "IX_UsageLedger_KeyId_Timestamp" ON "UsageLedger" ("KeyId", "Timestamp");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128161148_KeyLastUse') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261128161148_KeyLastUse', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128161704_ProviderSuspension') THEN
    ALTER TABLE "Providers" ADD "SuspendReason" character varying(2000);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128161704_ProviderSuspension') THEN
    ALTER TABLE "Providers" ADD "SuspendedAt" timestamp with time zone;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128161704_ProviderSuspension') THEN
    ALTER TABLE "Providers" ADD "SuspendedBy" character varying(256);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128161704_ProviderSuspension') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261128161704_ProviderSuspension', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128173150_VersionContentGuard') THEN
    ALTER TABLE "ModelVersions" ADD "ContentGuard" text;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128173150_VersionContentGuard') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261128173150_VersionContentGuard', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128182522_WebhookCursors') THEN
    CREATE TABLE "WebhookCursors" (
        "Name" character varying(64) NOT NULL,
        "Sequence" bigint NOT NULL,
        "LeaseOwner" character varying(64),
        "LeaseUntil" timestamp with time zone,
        "Failures" integer NOT NULL,
        "NextAttemptAt" timestamp with time zone,
        "LastError" character varying(256),
        "LastDeliveredAt" timestamp with time zone,
        CONSTRAINT "PK_WebhookCursors" PRIMARY KEY ("Name")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261128182522_WebhookCursors') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261128182522_WebhookCursors', '10.0.15');
    END IF;
END $EF$;
COMMIT;

