IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [Adjustments] (
        [Id] nvarchar(64) NOT NULL,
        [Period] nvarchar(7) NOT NULL,
        [CostCentre] nvarchar(64) NOT NULL,
        [Amount] decimal(18,6) NOT NULL,
        [Currency] nvarchar(3) NOT NULL,
        [Reason] nvarchar(2000) NOT NULL,
        [CorrectsPeriod] nvarchar(7) NULL,
        [CreatedBy] nvarchar(450) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_Adjustments] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [AspNetRoles] (
        [Id] nvarchar(450) NOT NULL,
        [Name] nvarchar(256) NULL,
        [NormalizedName] nvarchar(256) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoles] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [AspNetUsers] (
        [Id] nvarchar(450) NOT NULL,
        [DisplayName] nvarchar(200) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [UserName] nvarchar(256) NULL,
        [NormalizedUserName] nvarchar(256) NULL,
        [Email] nvarchar(256) NULL,
        [NormalizedEmail] nvarchar(256) NULL,
        [EmailConfirmed] bit NOT NULL,
        [PasswordHash] nvarchar(max) NULL,
        [SecurityStamp] nvarchar(max) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        [PhoneNumber] nvarchar(max) NULL,
        [PhoneNumberConfirmed] bit NOT NULL,
        [TwoFactorEnabled] bit NOT NULL,
        [LockoutEnd] datetimeoffset NULL,
        [LockoutEnabled] bit NOT NULL,
        [AccessFailedCount] int NOT NULL,
        CONSTRAINT [PK_AspNetUsers] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [AuditEvents] (
        [Sequence] bigint NOT NULL,
        [Time] datetimeoffset NOT NULL,
        [Actor] nvarchar(450) NOT NULL,
        [ActorName] nvarchar(256) NOT NULL,
        [Action] nvarchar(64) NOT NULL,
        [TargetType] nvarchar(64) NOT NULL,
        [TargetId] nvarchar(256) NOT NULL,
        [Before] nvarchar(max) NULL,
        [After] nvarchar(max) NULL,
        [PreviousHash] nvarchar(64) NOT NULL,
        [Hash] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_AuditEvents] PRIMARY KEY ([Sequence])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [ClosedPeriods] (
        [Period] nvarchar(7) NOT NULL,
        [ClosedAt] datetimeoffset NOT NULL,
        [ClosedBy] nvarchar(450) NOT NULL,
        CONSTRAINT [PK_ClosedPeriods] PRIMARY KEY ([Period])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [Models] (
        [Alias] nvarchar(128) NOT NULL,
        [Kind] nvarchar(16) NOT NULL,
        [DefaultVersion] nvarchar(128) NOT NULL,
        [CanaryVersion] nvarchar(128) NULL,
        [CanaryPercent] float NULL,
        [Tokenizer] nvarchar(32) NULL,
        [Description] nvarchar(1000) NULL,
        [SortOrder] int NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_Models] PRIMARY KEY ([Alias])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [OpenIddictApplications] (
        [Id] nvarchar(450) NOT NULL,
        [ApplicationType] nvarchar(50) NULL,
        [ClientId] nvarchar(100) NULL,
        [ClientSecret] nvarchar(max) NULL,
        [ClientType] nvarchar(50) NULL,
        [ConcurrencyToken] nvarchar(50) NULL,
        [ConsentType] nvarchar(50) NULL,
        [DisplayName] nvarchar(max) NULL,
        [DisplayNames] nvarchar(max) NULL,
        [JsonWebKeySet] nvarchar(max) NULL,
        [Permissions] nvarchar(max) NULL,
        [PostLogoutRedirectUris] nvarchar(max) NULL,
        [Properties] nvarchar(max) NULL,
        [RedirectUris] nvarchar(max) NULL,
        [Requirements] nvarchar(max) NULL,
        [Settings] nvarchar(max) NULL,
        CONSTRAINT [PK_OpenIddictApplications] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [OpenIddictScopes] (
        [Id] nvarchar(450) NOT NULL,
        [ConcurrencyToken] nvarchar(50) NULL,
        [Description] nvarchar(max) NULL,
        [Descriptions] nvarchar(max) NULL,
        [DisplayName] nvarchar(max) NULL,
        [DisplayNames] nvarchar(max) NULL,
        [Name] nvarchar(200) NULL,
        [Properties] nvarchar(max) NULL,
        [Resources] nvarchar(max) NULL,
        CONSTRAINT [PK_OpenIddictScopes] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [Providers] (
        [Id] nvarchar(128) NOT NULL,
        [Kind] nvarchar(32) NOT NULL,
        [BaseUrl] nvarchar(2048) NOT NULL,
        [CredentialRef] nvarchar(512) NULL,
        [ApiVersion] nvarchar(64) NULL,
        [ConnectTimeoutSeconds] int NOT NULL,
        [FirstByteTimeoutSeconds] int NOT NULL,
        [StreamIdleTimeoutSeconds] int NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [RowVersion] rowversion NULL,
        CONSTRAINT [PK_Providers] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [ProxyNodes] (
        [NodeId] nvarchar(128) NOT NULL,
        [HostName] nvarchar(256) NOT NULL,
        [Version] nvarchar(64) NOT NULL,
        [AppliedRevision] bigint NOT NULL,
        [PendingUsageRecords] bigint NOT NULL,
        [FirstSeenAt] datetimeoffset NOT NULL,
        [LastSeenAt] datetimeoffset NOT NULL,
        [ClientId] nvarchar(128) NOT NULL,
        CONSTRAINT [PK_ProxyNodes] PRIMARY KEY ([NodeId])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [SystemCounters] (
        [Name] nvarchar(32) NOT NULL,
        [Value] bigint NOT NULL,
        [Text] nvarchar(128) NOT NULL,
        CONSTRAINT [PK_SystemCounters] PRIMARY KEY ([Name])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [Teams] (
        [Id] nvarchar(128) NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [CostCentre] nvarchar(64) NOT NULL,
        [RequestsPerMinute] int NULL,
        [TokensPerMinute] int NULL,
        [MaxConcurrent] int NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [RowVersion] rowversion NULL,
        CONSTRAINT [PK_Teams] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [UsageHourly] (
        [HourStart] datetimeoffset NOT NULL,
        [TeamId] nvarchar(128) NOT NULL,
        [SubscriptionId] nvarchar(128) NOT NULL,
        [ModelVersion] nvarchar(128) NOT NULL,
        [Currency] nvarchar(3) NOT NULL,
        [CostCentre] nvarchar(64) NOT NULL,
        [Requests] bigint NOT NULL,
        [InputTokens] bigint NOT NULL,
        [CachedInputTokens] bigint NOT NULL,
        [OutputTokens] bigint NOT NULL,
        [Cost] decimal(18,6) NOT NULL,
        CONSTRAINT [PK_UsageHourly] PRIMARY KEY ([HourStart], [TeamId], [SubscriptionId], [ModelVersion], [Currency])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [UsageLedger] (
        [Id] bigint NOT NULL IDENTITY,
        [RequestId] nvarchar(128) NOT NULL,
        [Timestamp] datetimeoffset NOT NULL,
        [ProxyNode] nvarchar(128) NULL,
        [KeyId] nvarchar(64) NOT NULL,
        [TeamId] nvarchar(128) NOT NULL,
        [CostCentre] nvarchar(64) NOT NULL,
        [SubscriptionId] nvarchar(128) NULL,
        [ModelAlias] nvarchar(128) NOT NULL,
        [ModelVersion] nvarchar(128) NOT NULL,
        [DeploymentId] nvarchar(128) NULL,
        [ProviderId] nvarchar(128) NULL,
        [Operation] nvarchar(32) NOT NULL,
        [Streamed] bit NOT NULL,
        [InputTokens] bigint NOT NULL,
        [CachedInputTokens] bigint NOT NULL,
        [OutputTokens] bigint NOT NULL,
        [Cost] decimal(18,6) NOT NULL,
        [Currency] nvarchar(3) NOT NULL,
        [LatencyMs] float NOT NULL,
        [TimeToFirstTokenMs] float NULL,
        [Status] int NOT NULL,
        [Estimated] bit NOT NULL,
        [Outcome] nvarchar(32) NOT NULL,
        [BillingPeriod] nvarchar(7) NOT NULL,
        [IngestedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_UsageLedger] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [UsageQuarantine] (
        [Id] bigint NOT NULL IDENTITY,
        [BatchId] nvarchar(256) NOT NULL,
        [NodeId] nvarchar(128) NOT NULL,
        [Reason] nvarchar(1000) NOT NULL,
        [Payload] nvarchar(max) NOT NULL,
        [ReceivedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_UsageQuarantine] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [AspNetRoleClaims] (
        [Id] int NOT NULL IDENTITY,
        [RoleId] nvarchar(450) NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoleClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetRoleClaims_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserClaims] (
        [Id] int NOT NULL IDENTITY,
        [UserId] nvarchar(450) NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetUserClaims_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserLogins] (
        [LoginProvider] nvarchar(450) NOT NULL,
        [ProviderKey] nvarchar(450) NOT NULL,
        [ProviderDisplayName] nvarchar(max) NULL,
        [UserId] nvarchar(450) NOT NULL,
        CONSTRAINT [PK_AspNetUserLogins] PRIMARY KEY ([LoginProvider], [ProviderKey]),
        CONSTRAINT [FK_AspNetUserLogins_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserRoles] (
        [UserId] nvarchar(450) NOT NULL,
        [RoleId] nvarchar(450) NOT NULL,
        CONSTRAINT [PK_AspNetUserRoles] PRIMARY KEY ([UserId], [RoleId]),
        CONSTRAINT [FK_AspNetUserRoles_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_AspNetUserRoles_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserTokens] (
        [UserId] nvarchar(450) NOT NULL,
        [LoginProvider] nvarchar(450) NOT NULL,
        [Name] nvarchar(450) NOT NULL,
        [Value] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserTokens] PRIMARY KEY ([UserId], [LoginProvider], [Name]),
        CONSTRAINT [FK_AspNetUserTokens_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [StatementLines] (
        [Id] bigint NOT NULL IDENTITY,
        [Period] nvarchar(7) NOT NULL,
        [CostCentre] nvarchar(64) NOT NULL,
        [TeamId] nvarchar(128) NOT NULL,
        [ModelVersion] nvarchar(128) NOT NULL,
        [Currency] nvarchar(3) NOT NULL,
        [Requests] bigint NOT NULL,
        [InputTokens] bigint NOT NULL,
        [CachedInputTokens] bigint NOT NULL,
        [OutputTokens] bigint NOT NULL,
        [Cost] decimal(18,6) NOT NULL,
        CONSTRAINT [PK_StatementLines] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_StatementLines_ClosedPeriods_Period] FOREIGN KEY ([Period]) REFERENCES [ClosedPeriods] ([Period]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [ModelVersions] (
        [Name] nvarchar(128) NOT NULL,
        [ModelAlias] nvarchar(128) NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [InputPricePerMillion] decimal(18,6) NOT NULL,
        [CachedInputPricePerMillion] decimal(18,6) NOT NULL,
        [OutputPricePerMillion] decimal(18,6) NOT NULL,
        [Currency] nvarchar(3) NOT NULL,
        [MaxDataClassification] nvarchar(16) NOT NULL,
        [DeprecatedAt] datetimeoffset NULL,
        [SunsetAt] datetimeoffset NULL,
        [Successor] nvarchar(128) NULL,
        [MaxOutputTokens] int NULL,
        [ContextWindow] int NULL,
        [SortOrder] int NOT NULL,
        [RowVersion] rowversion NULL,
        CONSTRAINT [PK_ModelVersions] PRIMARY KEY ([Name]),
        CONSTRAINT [FK_ModelVersions_Models_ModelAlias] FOREIGN KEY ([ModelAlias]) REFERENCES [Models] ([Alias]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [OpenIddictAuthorizations] (
        [Id] nvarchar(450) NOT NULL,
        [ApplicationId] nvarchar(450) NULL,
        [ConcurrencyToken] nvarchar(50) NULL,
        [CreationDate] datetime2 NULL,
        [Properties] nvarchar(max) NULL,
        [Scopes] nvarchar(max) NULL,
        [Status] nvarchar(50) NULL,
        [Subject] nvarchar(400) NULL,
        [Type] nvarchar(50) NULL,
        CONSTRAINT [PK_OpenIddictAuthorizations] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_OpenIddictAuthorizations_OpenIddictApplications_ApplicationId] FOREIGN KEY ([ApplicationId]) REFERENCES [OpenIddictApplications] ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [AccessRequests] (
        [Id] nvarchar(64) NOT NULL,
        [Kind] nvarchar(16) NOT NULL,
        [TeamId] nvarchar(128) NOT NULL,
        [ModelAlias] nvarchar(128) NOT NULL,
        [SubscriptionId] nvarchar(128) NULL,
        [Justification] nvarchar(2000) NOT NULL,
        [RequestsPerMinute] int NULL,
        [TokensPerMinute] int NULL,
        [MaxConcurrent] int NULL,
        [MonthlyTokens] bigint NULL,
        [MonthlyAmount] decimal(18,6) NULL,
        [Currency] nvarchar(3) NULL,
        [DataClassification] nvarchar(16) NOT NULL,
        [EndsAt] datetimeoffset NULL,
        [Status] nvarchar(16) NOT NULL,
        [RequestedBy] nvarchar(450) NOT NULL,
        [RequestedByName] nvarchar(256) NOT NULL,
        [RequestedAt] datetimeoffset NOT NULL,
        [DecidedBy] nvarchar(450) NULL,
        [DecidedByName] nvarchar(256) NULL,
        [DecidedAt] datetimeoffset NULL,
        [DecisionReason] nvarchar(2000) NULL,
        [ResultSubscriptionId] nvarchar(128) NULL,
        [RowVersion] rowversion NULL,
        CONSTRAINT [PK_AccessRequests] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AccessRequests_Teams_TeamId] FOREIGN KEY ([TeamId]) REFERENCES [Teams] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [ApiKeys] (
        [KeyId] nchar(12) NOT NULL,
        [Hash] nchar(64) NOT NULL,
        [DisplayPrefix] nvarchar(32) NOT NULL,
        [TeamId] nvarchar(128) NOT NULL,
        [Application] nvarchar(200) NOT NULL,
        [ExpiresAt] datetimeoffset NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [AllSubscriptions] bit NOT NULL,
        [RequestsPerMinute] int NULL,
        [TokensPerMinute] int NULL,
        [MaxConcurrent] int NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [CreatedBy] nvarchar(450) NOT NULL,
        [RevokedAt] datetimeoffset NULL,
        [RevokedBy] nvarchar(450) NULL,
        [RotatedFrom] nvarchar(12) NULL,
        [ReplacedBy] nvarchar(12) NULL,
        [RowVersion] rowversion NULL,
        CONSTRAINT [PK_ApiKeys] PRIMARY KEY ([KeyId]),
        CONSTRAINT [FK_ApiKeys_Teams_TeamId] FOREIGN KEY ([TeamId]) REFERENCES [Teams] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [Subscriptions] (
        [Id] nvarchar(128) NOT NULL,
        [TeamId] nvarchar(128) NOT NULL,
        [ModelAlias] nvarchar(128) NOT NULL,
        [PinnedVersion] nvarchar(128) NULL,
        [RequestsPerMinute] int NULL,
        [TokensPerMinute] int NULL,
        [MaxConcurrent] int NULL,
        [MonthlyTokens] bigint NULL,
        [MonthlyAmount] decimal(18,6) NULL,
        [Currency] nvarchar(3) NULL,
        [OverLimit] nvarchar(16) NOT NULL,
        [MaxOutputTokens] int NULL,
        [EndsAt] datetimeoffset NULL,
        [Status] nvarchar(16) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [ApprovedBy] nvarchar(450) NOT NULL,
        [AccessRequestId] nvarchar(64) NULL,
        [RowVersion] rowversion NULL,
        CONSTRAINT [PK_Subscriptions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Subscriptions_Models_ModelAlias] FOREIGN KEY ([ModelAlias]) REFERENCES [Models] ([Alias]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Subscriptions_Teams_TeamId] FOREIGN KEY ([TeamId]) REFERENCES [Teams] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [TeamMembers] (
        [TeamId] nvarchar(128) NOT NULL,
        [UserId] nvarchar(450) NOT NULL,
        [Role] nvarchar(16) NOT NULL,
        [AddedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_TeamMembers] PRIMARY KEY ([TeamId], [UserId]),
        CONSTRAINT [FK_TeamMembers_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_TeamMembers_Teams_TeamId] FOREIGN KEY ([TeamId]) REFERENCES [Teams] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [Deployments] (
        [Id] nvarchar(128) NOT NULL,
        [VersionName] nvarchar(128) NOT NULL,
        [ProviderId] nvarchar(128) NOT NULL,
        [UpstreamModel] nvarchar(256) NOT NULL,
        [Weight] int NOT NULL,
        [Priority] int NOT NULL,
        [Region] nvarchar(64) NULL,
        [SortOrder] int NOT NULL,
        CONSTRAINT [PK_Deployments] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Deployments_ModelVersions_VersionName] FOREIGN KEY ([VersionName]) REFERENCES [ModelVersions] ([Name]) ON DELETE CASCADE,
        CONSTRAINT [FK_Deployments_Providers_ProviderId] FOREIGN KEY ([ProviderId]) REFERENCES [Providers] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [OpenIddictTokens] (
        [Id] nvarchar(450) NOT NULL,
        [ApplicationId] nvarchar(450) NULL,
        [AuthorizationId] nvarchar(450) NULL,
        [ConcurrencyToken] nvarchar(50) NULL,
        [CreationDate] datetime2 NULL,
        [ExpirationDate] datetime2 NULL,
        [Payload] nvarchar(max) NULL,
        [Properties] nvarchar(max) NULL,
        [RedemptionDate] datetime2 NULL,
        [ReferenceId] nvarchar(100) NULL,
        [Status] nvarchar(50) NULL,
        [Subject] nvarchar(400) NULL,
        [Type] nvarchar(150) NULL,
        CONSTRAINT [PK_OpenIddictTokens] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_OpenIddictTokens_OpenIddictApplications_ApplicationId] FOREIGN KEY ([ApplicationId]) REFERENCES [OpenIddictApplications] ([Id]),
        CONSTRAINT [FK_OpenIddictTokens_OpenIddictAuthorizations_AuthorizationId] FOREIGN KEY ([AuthorizationId]) REFERENCES [OpenIddictAuthorizations] ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE TABLE [ApiKeySubscriptions] (
        [KeyId] nchar(12) NOT NULL,
        [SubscriptionId] nvarchar(128) NOT NULL,
        CONSTRAINT [PK_ApiKeySubscriptions] PRIMARY KEY ([KeyId], [SubscriptionId]),
        CONSTRAINT [FK_ApiKeySubscriptions_ApiKeys_KeyId] FOREIGN KEY ([KeyId]) REFERENCES [ApiKeys] ([KeyId]) ON DELETE CASCADE,
        CONSTRAINT [FK_ApiKeySubscriptions_Subscriptions_SubscriptionId] FOREIGN KEY ([SubscriptionId]) REFERENCES [Subscriptions] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    IF EXISTS (SELECT * FROM [sys].[identity_columns] WHERE [name] IN (N'Id', N'ConcurrencyStamp', N'Name', N'NormalizedName') AND [object_id] = OBJECT_ID(N'[AspNetRoles]'))
        SET IDENTITY_INSERT [AspNetRoles] ON;
    EXEC(N'INSERT INTO [AspNetRoles] ([Id], [ConcurrencyStamp], [Name], [NormalizedName])
    VALUES (N''role-approver'', N''seed-approver'', N''Approver'', N''APPROVER''),
    (N''role-developer'', N''seed-developer'', N''Developer'', N''DEVELOPER''),
    (N''role-financeanalyst'', N''seed-financeanalyst'', N''FinanceAnalyst'', N''FINANCEANALYST''),
    (N''role-platformadmin'', N''seed-platformadmin'', N''PlatformAdmin'', N''PLATFORMADMIN'')');
    IF EXISTS (SELECT * FROM [sys].[identity_columns] WHERE [name] IN (N'Id', N'ConcurrencyStamp', N'Name', N'NormalizedName') AND [object_id] = OBJECT_ID(N'[AspNetRoles]'))
        SET IDENTITY_INSERT [AspNetRoles] OFF;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    IF EXISTS (SELECT * FROM [sys].[identity_columns] WHERE [name] IN (N'Name', N'Text', N'Value') AND [object_id] = OBJECT_ID(N'[SystemCounters]'))
        SET IDENTITY_INSERT [SystemCounters] ON;
    EXEC(N'INSERT INTO [SystemCounters] ([Name], [Text], [Value])
    VALUES (N''audit'', N''0000000000000000000000000000000000000000000000000000000000000000'', CAST(0 AS bigint)),
    (N''billing'', N'''', CAST(0 AS bigint)),
    (N''revision'', N'''', CAST(1 AS bigint)),
    (N''usage-mark'', N'''', CAST(0 AS bigint))');
    IF EXISTS (SELECT * FROM [sys].[identity_columns] WHERE [name] IN (N'Name', N'Text', N'Value') AND [object_id] = OBJECT_ID(N'[SystemCounters]'))
        SET IDENTITY_INSERT [SystemCounters] OFF;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_AccessRequests_Status_RequestedAt] ON [AccessRequests] ([Status], [RequestedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_AccessRequests_TeamId] ON [AccessRequests] ([TeamId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_Adjustments_Period] ON [Adjustments] ([Period]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ApiKeys_Hash] ON [ApiKeys] ([Hash]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_ApiKeys_TeamId] ON [ApiKeys] ([TeamId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_ApiKeySubscriptions_SubscriptionId] ON [ApiKeySubscriptions] ([SubscriptionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetRoleClaims_RoleId] ON [AspNetRoleClaims] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [RoleNameIndex] ON [AspNetRoles] ([NormalizedName]) WHERE [NormalizedName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserClaims_UserId] ON [AspNetUserClaims] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserLogins_UserId] ON [AspNetUserLogins] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserRoles_RoleId] ON [AspNetUserRoles] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [EmailIndex] ON [AspNetUsers] ([NormalizedEmail]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [UserNameIndex] ON [AspNetUsers] ([NormalizedUserName]) WHERE [NormalizedUserName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditEvents_Actor] ON [AuditEvents] ([Actor]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditEvents_TargetType_TargetId] ON [AuditEvents] ([TargetType], [TargetId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditEvents_Time] ON [AuditEvents] ([Time]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_Deployments_ProviderId] ON [Deployments] ([ProviderId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_Deployments_VersionName] ON [Deployments] ([VersionName]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_ModelVersions_ModelAlias] ON [ModelVersions] ([ModelAlias]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_OpenIddictApplications_ClientId] ON [OpenIddictApplications] ([ClientId]) WHERE [ClientId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type] ON [OpenIddictAuthorizations] ([ApplicationId], [Status], [Subject], [Type]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_OpenIddictScopes_Name] ON [OpenIddictScopes] ([Name]) WHERE [Name] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_OpenIddictTokens_ApplicationId_Status_Subject_Type] ON [OpenIddictTokens] ([ApplicationId], [Status], [Subject], [Type]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_OpenIddictTokens_AuthorizationId] ON [OpenIddictTokens] ([AuthorizationId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_OpenIddictTokens_ReferenceId] ON [OpenIddictTokens] ([ReferenceId]) WHERE [ReferenceId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_ProxyNodes_LastSeenAt] ON [ProxyNodes] ([LastSeenAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_StatementLines_Period_CostCentre] ON [StatementLines] ([Period], [CostCentre]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_Subscriptions_ModelAlias] ON [Subscriptions] ([ModelAlias]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_Subscriptions_TeamId_ModelAlias] ON [Subscriptions] ([TeamId], [ModelAlias]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_TeamMembers_UserId] ON [TeamMembers] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_Teams_CostCentre] ON [Teams] ([CostCentre]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_UsageHourly_SubscriptionId_HourStart] ON [UsageHourly] ([SubscriptionId], [HourStart]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_UsageLedger_BillingPeriod_CostCentre] ON [UsageLedger] ([BillingPeriod], [CostCentre]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_UsageLedger_RequestId] ON [UsageLedger] ([RequestId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_UsageLedger_TeamId_Timestamp] ON [UsageLedger] ([TeamId], [Timestamp]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    CREATE INDEX [IX_UsageLedger_Timestamp] ON [UsageLedger] ([Timestamp]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126040158_Initial'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261126040158_Initial', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126064220_LedgerMoneyPrecision'
)
BEGIN
    DECLARE @var nvarchar(max);
    SELECT @var = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[UsageLedger]') AND [c].[name] = N'Cost');
    IF @var IS NOT NULL EXEC(N'ALTER TABLE [UsageLedger] DROP CONSTRAINT ' + @var + ';');
    ALTER TABLE [UsageLedger] ALTER COLUMN [Cost] decimal(28,12) NOT NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126064220_LedgerMoneyPrecision'
)
BEGIN
    DECLARE @var1 nvarchar(max);
    SELECT @var1 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[UsageHourly]') AND [c].[name] = N'Cost');
    IF @var1 IS NOT NULL EXEC(N'ALTER TABLE [UsageHourly] DROP CONSTRAINT ' + @var1 + ';');
    ALTER TABLE [UsageHourly] ALTER COLUMN [Cost] decimal(28,12) NOT NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126064220_LedgerMoneyPrecision'
)
BEGIN
    DECLARE @var2 nvarchar(max);
    SELECT @var2 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[StatementLines]') AND [c].[name] = N'Cost');
    IF @var2 IS NOT NULL EXEC(N'ALTER TABLE [StatementLines] DROP CONSTRAINT ' + @var2 + ';');
    ALTER TABLE [StatementLines] ALTER COLUMN [Cost] decimal(28,12) NOT NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126064220_LedgerMoneyPrecision'
)
BEGIN
    DECLARE @var3 nvarchar(max);
    SELECT @var3 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[Adjustments]') AND [c].[name] = N'Amount');
    IF @var3 IS NOT NULL EXEC(N'ALTER TABLE [Adjustments] DROP CONSTRAINT ' + @var3 + ';');
    ALTER TABLE [Adjustments] ALTER COLUMN [Amount] decimal(28,12) NOT NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126064220_LedgerMoneyPrecision'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261126064220_LedgerMoneyPrecision', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128152138_ProposedChanges'
)
BEGIN
    CREATE TABLE [ProposedChanges] (
        [Id] nvarchar(64) NOT NULL,
        [Method] nvarchar(8) NOT NULL,
        [RoutePattern] nvarchar(256) NOT NULL,
        [Path] nvarchar(2048) NOT NULL,
        [RouteValues] nvarchar(max) NOT NULL,
        [Body] nvarchar(max) NULL,
        [Summary] nvarchar(2000) NOT NULL,
        [Effects] nvarchar(max) NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [RequestedBy] nvarchar(450) NOT NULL,
        [RequestedByName] nvarchar(256) NOT NULL,
        [RequestedAt] datetimeoffset NOT NULL,
        [DecidedBy] nvarchar(450) NULL,
        [DecidedByName] nvarchar(256) NULL,
        [DecidedAt] datetimeoffset NULL,
        [Reason] nvarchar(2000) NULL,
        [ResultStatus] int NULL,
        [ResultBody] nvarchar(max) NULL,
        CONSTRAINT [PK_ProposedChanges] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128152138_ProposedChanges'
)
BEGIN
    CREATE INDEX [IX_ProposedChanges_Status_RequestedAt] ON [ProposedChanges] ([Status], [RequestedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128152138_ProposedChanges'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261128152138_ProposedChanges', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128155224_KeyNetworks'
)
BEGIN
    ALTER TABLE [ApiKeys] ADD [AllowedNetworks] nvarchar(1024) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128155224_KeyNetworks'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261128155224_KeyNetworks', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128161146_KeyLastUse'
)
BEGIN
    CREATE INDEX [IX_UsageLedger_KeyId_Timestamp] ON [UsageLedger] ([KeyId], [Timestamp]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128161146_KeyLastUse'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261128161146_KeyLastUse', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128161702_ProviderSuspension'
)
BEGIN
    ALTER TABLE [Providers] ADD [SuspendReason] nvarchar(2000) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128161702_ProviderSuspension'
)
BEGIN
    ALTER TABLE [Providers] ADD [SuspendedAt] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128161702_ProviderSuspension'
)
BEGIN
    ALTER TABLE [Providers] ADD [SuspendedBy] nvarchar(256) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128161702_ProviderSuspension'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261128161702_ProviderSuspension', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128173148_VersionContentGuard'
)
BEGIN
    ALTER TABLE [ModelVersions] ADD [ContentGuard] nvarchar(max) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128173148_VersionContentGuard'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261128173148_VersionContentGuard', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128182519_WebhookCursors'
)
BEGIN
    CREATE TABLE [WebhookCursors] (
        [Name] nvarchar(64) NOT NULL,
        [Sequence] bigint NOT NULL,
        [LeaseOwner] nvarchar(64) NULL,
        [LeaseUntil] datetimeoffset NULL,
        [Failures] int NOT NULL,
        [NextAttemptAt] datetimeoffset NULL,
        [LastError] nvarchar(256) NULL,
        [LastDeliveredAt] datetimeoffset NULL,
        CONSTRAINT [PK_WebhookCursors] PRIMARY KEY ([Name])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261128182519_WebhookCursors'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261128182519_WebhookCursors', N'10.0.15');
END;

COMMIT;
GO

