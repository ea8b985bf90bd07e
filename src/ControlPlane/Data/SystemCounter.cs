namespace Gateway.ControlPlane.Data;

/// <summary>
/// A named counter row. Writers take a row lock by updating it inside their transaction, which
/// serialises them across replicas: <see cref="Revision"/> (the snapshot revision),
/// <see cref="Audit"/> (the audit chain head: sequence and hash), <see cref="Billing"/> (usage
/// ingestion and month close) and <see cref="UsageMark"/> (the ledger id the last revision saw).
/// Lock order, always: billing, audit, revision.
/// </summary>
internal sealed class SystemCounter
{
    public const string Revision = "revision";
    public const string Audit = "audit";
    public const string Billing = "billing";
    public const string UsageMark = "usage-mark";

    public required string Name { get; set; }

    public long Value { get; set; }

    public string Text { get; set; } = "";
}
