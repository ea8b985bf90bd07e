using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Gateway.ControlPlane.Infrastructure;

/// <summary>
/// Turns what the framework throws into RFC 9457 problems naming the field: unreadable JSON,
/// unknown enum strings and unbindable query values → 400, oversized bodies → 413, lost
/// concurrency races → 409. Anything else is a 500 problem without internals.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, errors) = Classify(exception);
        if (status == StatusCodes.Status500InternalServerError) LogUnhandled(logger, exception);
        httpContext.Response.StatusCode = status;
        ProblemDetails details = errors is null
            ? new ProblemDetails { Status = status, Title = title }
            : new HttpValidationProblemDetails(errors) { Status = status, Title = title };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }

    private static (int Status, string Title, Dictionary<string, string[]>? Errors) Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                    return (413, "The request body is too large.", null);
                case JsonException json when MissingRequired().Match(json.Message) is { Success: true } missing:
                    return (400, "The request body is invalid.", missing.Groups["names"].Value.Split(',')
                        .Select(n => n.Trim().Trim('\''))
                        .Where(n => n.Length > 0)
                        .ToDictionary(n => string.IsNullOrEmpty(json.Path) || json.Path == "$" ? Camel(n) : $"{FieldOf(json.Path)}.{Camel(n)}", _ => new[] { "is required" }));
                case JsonException json:
                    return (400, "The request body is invalid.", new() { [FieldOf(json.Path)] = [Describe(json)] });
                case ControlCharacterException text:
                    return (400, "The request body is invalid.", new() { [FieldOf("$." + text.Field)] = [PlainText.Rule] });
                case DbUpdateConcurrencyException:
                    return (409, "Someone else changed this record first; reload it and try again.", null);
                case DbUpdateException:
                    return (409, "The change conflicts with the current state (a duplicate or a record still in use).", null);
            }
        }
        if (exception is BadHttpRequestException bad)
        {
            var match = ParameterName().Match(bad.Message);
            var field = match.Success ? Camel(match.Groups["name"].Value) : "request";
            return (bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400, "The request is invalid.", new() { [field] = [Clean(bad.Message)] });
        }
        return (500, "An unexpected error occurred.", null);
    }

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return string.Join('.', field.Split('.').Select(Camel));
    }

    private static string Describe(JsonException json) =>
        json.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? "has a value that is not valid for this field (unknown enum value, wrong type or out of range)"
            : "is not valid JSON here";

    private static string Camel(string name) => name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static string Clean(string message) => message.Replace("\"", "'", StringComparison.Ordinal);

    [GeneratedRegex("missing required properties including: (?<names>.+?)\\.?$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex("parameter \"(?:[^\" ]+ )?(?<name>[A-Za-z0-9_]+)\"")]
    private static partial Regex ParameterName();

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled exception in the admin API")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
