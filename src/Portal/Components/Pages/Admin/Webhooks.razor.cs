using Gateway.Contracts.Admin;
using Gateway.Portal.Api;
using Gateway.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace Gateway.Portal.Components.Pages.Admin;

public partial class Webhooks
{
    internal const string SignedHint = "Deliveries carry X-Gateway-Signature (HMAC-SHA256 under the webhook's secret): the receiver can check that they come from the gateway.";
    internal const string TestHint = "Sends a webhook.test event (sequence 0, not from the audit log) now, to check the URL, the network path and the signing secret.";
    internal const string UnsignedHint = "No signing secret: the receiver cannot verify that a delivery comes from the gateway.";

    private readonly Dictionary<string, WebhookTestDto> _tests = new(StringComparer.Ordinal);
    private readonly HashSet<string> _testing = new(StringComparer.Ordinal);
    private IReadOnlyList<WebhookStatusDto>? _webhooks;
    private bool _loading;

    [Inject]
    private WebhooksApi Api { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _loading = true;
        try
        {
            _webhooks = await Api.ListAsync(CancellationToken.None);
            LoadError = null;
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _webhooks = null; // a stale state must not read as the current one
            LoadError = ex;
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task TestAsync(string name)
    {
        _testing.Add(name);
        try
        {
            _tests[name] = await Api.TestAsync(name, CancellationToken.None);
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            _tests[name] = new WebhookTestDto(name, false, Failures.MessageOf(ex));
        }
        finally
        {
            _testing.Remove(name);
        }
    }

    /// <summary>What a test delivery got.</summary>
    internal static string TestResult(WebhookTestDto test) =>
        test.Delivered ? "Test delivered: the receiver took it." : $"Test not delivered: {test.Error ?? "no reason given"}.";

    /// <summary>How a webhook's deliveries go: up to date, events waiting, or stuck behind a failing event.</summary>
    internal static string Status(WebhookStatusDto webhook) => webhook switch
    {
        { Failures: > 0 } => $"Failing: {webhook.LastError ?? "no error recorded"}, {Plural(webhook.Failures, "attempt")}"
            + (webhook.NextAttemptAt is { } next ? $", next at {Labels.Time(next)}" : ""),
        { Behind: 0 } => "Up to date",
        _ => $"{Plural(webhook.Behind, "event")} waiting",
    };

    private static string Plural(long count, string noun) => $"{Labels.Count(count)} {noun}{(count == 1 ? "" : "s")}";
}
