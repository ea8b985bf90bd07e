namespace Gateway.AppHost;

/// <summary>Prints where the default run's services listen.</summary>
internal static class DefaultRunBanner
{
    public static void Print(DefaultRunPorts ports, string dataDirectory)
    {
        Console.WriteLine($"""

            AI gateway, default run (data in {dataDirectory}):
              Proxy         http://localhost:{ports.Proxy}
              ControlPlane  http://localhost:{ports.ControlPlane}  (gRPC feed for the proxy: http://localhost:{ports.ControlPlaneGrpc})
              Portal        http://localhost:{ports.Portal}
              MockLlm       http://localhost:{ports.MockLlm}
              Dashboard     http://localhost:15888

            """);
    }
}
