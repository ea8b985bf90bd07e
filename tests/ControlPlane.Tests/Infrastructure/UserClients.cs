namespace Gateway.ControlPlane.Tests.Infrastructure;

/// <summary>One client per user, each carrying that user's token from the real sign-in flow, disposed together.</summary>
public sealed class UserClients : IDisposable
{
    private readonly Dictionary<string, HttpClient> _clients;

    private UserClients(Dictionary<string, HttpClient> clients) => _clients = clients;

    public static async Task<UserClients> SignInAsync(ControlPlaneFixture fixture, IEnumerable<string> users)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var clients = new Dictionary<string, HttpClient>(StringComparer.Ordinal);
        foreach (var user in users.Distinct(StringComparer.Ordinal)) clients[user] = await fixture.ClientAsAsync(user);
        return new UserClients(clients);
    }

    public HttpClient this[string user] => _clients[user];

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
    }
}
