namespace Gateway.Proxy.Counters;

/// <summary>
/// The shared counters cannot decide and the policy says fail closed: admission answers 503
/// <c>gateway_unavailable</c> instead of guessing. Thrown only by <see cref="IAdmissionCounters.ReserveAsync"/>.
/// </summary>
internal sealed class CountersUnavailableException(string message) : Exception(message);
