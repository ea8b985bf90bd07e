using YamlDotNet.RepresentationModel;

namespace Gateway.Integration.Tests.Deployment;

/// <summary>
/// Parses every manifest under <c>deploy/k8s</c> and checks the production shape: the kinds, the
/// probes (ready on <c>/health</c>, alive on <c>/alive</c>), non-root pods, resources, secrets
/// only by reference, selectors that match their pods, ports that exist, an HPA and a PDB per
/// workload, and an ingress for the proxy that streams SSE and WebSockets.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Folder = Path.Combine(RepositoryFiles.Root, "deploy", "k8s");

    private static readonly List<(string File, YamlMappingNode Doc)> All =
        [.. Directory.GetFiles(Folder, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(f => RepositoryFiles.Documents(f).Select(d => (Path.GetRelativePath(Folder, f), d)))];

    private static IEnumerable<YamlMappingNode> Kind(string kind) => All.Where(x => x.Doc.Text("kind") == kind).Select(x => x.Doc);

    private static YamlMappingNode Named(string kind, string name) =>
        Kind(kind).SingleOrDefault(d => d.Text("metadata", "name") == name) ?? throw new Xunit.Sdk.XunitException($"no {kind} named {name}");

    [Fact]
    public void EveryManifest_Parses_WithApiVersionKindAndName_InTheGatewayNamespace()
    {
        Assert.NotEmpty(All);
        foreach (var (file, doc) in All)
        {
            var kind = doc.Text("kind");
            Assert.False(string.IsNullOrEmpty(doc.Text("apiVersion")), $"{file}: no apiVersion");
            Assert.False(string.IsNullOrEmpty(kind), $"{file}: no kind");
            if (kind == "Kustomization") continue;
            Assert.False(string.IsNullOrEmpty(doc.Text("metadata", "name")), $"{file}: a {kind} without a name");
            if (kind != "Namespace") Assert.Equal("ai-gateway", doc.Text("metadata", "namespace"));
        }
    }

    [Fact]
    public void TheProductionShape_IsThere()
    {
        Named("Namespace", "ai-gateway");
        Assert.Equal("2", Named("Deployment", "controlplane").Text("spec", "replicas"));
        Named("Deployment", "portal");
        Assert.Null(Named("Deployment", "proxy").Text("spec", "replicas")); // the autoscaler owns it
        Named("Deployment", "mockllm"); // demo overlay only
        foreach (var name in new[] { "controlplane", "proxy", "portal", "mockllm" }) Named("Service", name);
        foreach (var name in new[] { "controlplane", "proxy", "portal" }) Named("PodDisruptionBudget", name);
        Named("Ingress", "proxy");
        Named("HorizontalPodAutoscaler", "proxy");
    }

    [Fact]
    public void EveryWorkload_IsNonRoot_WithProbesOnHealthAndAlive_AndResourceRequests()
    {
        foreach (var deployment in Kind("Deployment"))
        {
            var name = deployment.Text("metadata", "name");
            var pod = deployment.At("spec", "template", "spec")!;
            Assert.True(pod.Text("securityContext", "runAsNonRoot") == "true", $"{name}: the pod may run as root");
            Assert.NotEqual("0", pod.Text("securityContext", "runAsUser"));
            foreach (var container in pod.Items("containers"))
            {
                var c = $"{name}/{container.Text("name")}";
                Assert.Equal("false", container.Text("securityContext", "allowPrivilegeEscalation"));
                Assert.Equal("true", container.Text("securityContext", "runAsNonRoot"));
                Assert.Contains(container.Items("securityContext", "capabilities", "drop"), d => ((YamlScalarNode)d).Value == "ALL");
                Assert.Equal("/health", container.Text("readinessProbe", "httpGet", "path"));
                Assert.Equal("/alive", container.Text("livenessProbe", "httpGet", "path"));
                var ports = container.Items("ports").Select(p => p.Text("name")).ToHashSet();
                Assert.Contains(container.Text("readinessProbe", "httpGet", "port"), ports);
                Assert.Contains(container.Text("livenessProbe", "httpGet", "port"), ports);
                Assert.False(string.IsNullOrEmpty(container.Text("resources", "requests", "cpu")), $"{c}: no CPU request");
                Assert.False(string.IsNullOrEmpty(container.Text("resources", "requests", "memory")), $"{c}: no memory request");
                Assert.False(string.IsNullOrEmpty(container.Text("resources", "limits", "memory")), $"{c}: no memory limit");
                Assert.DoesNotContain(":latest", container.Text("image"), StringComparison.Ordinal);
                if (container.Text("securityContext", "readOnlyRootFilesystem") == "true")
                    Assert.Contains(container.Items("volumeMounts"), m => m.Text("mountPath") == "/tmp");
            }
        }
    }

    [Fact]
    public void TheProxysMetrics_AreOnItsManagementPort_WhichNoServiceOrIngressReaches()
    {
        var proxy = Named("Deployment", "proxy");
        var container = proxy.Items("spec", "template", "spec", "containers").Single(c => c.Text("name") == "proxy");
        var env = container.Items("env").ToDictionary(e => e.Text("name")!, e => e.Text("value"));
        Assert.Equal("9090", env["Proxy__ManagementPort"]);
        Assert.Contains("http://+:9090", env["ASPNETCORE_URLS"], StringComparison.Ordinal);
        Assert.Contains("http://+:8080", env["ASPNETCORE_URLS"], StringComparison.Ordinal);
        var ports = container.Items("ports").ToDictionary(p => p.Text("name")!, p => p.Text("containerPort"));
        Assert.Equal("9090", ports["management"]);
        Assert.Equal("8080", ports["http"]);
        Assert.Equal("9090", proxy.Text("spec", "template", "metadata", "annotations", "prometheus.io/port"));
        // The proxies send prompts and credentials only to the providers' own hosts, and the control
        // plane lets providers name no other.
        var egress = env.Where(e => e.Key.StartsWith("Proxy__Egress__AllowedHosts__", StringComparison.Ordinal)).Select(e => e.Value!).ToList();
        Assert.Contains("api.openai.com", egress);
        Assert.All(egress, h => Assert.Null(Gateway.Contracts.Snapshot.HostAllowList.Problem(h)));
        var cp = Named("Deployment", "controlplane").Items("spec", "template", "spec", "containers").Single().Items("env")
            .Where(e => e.Text("name")!.StartsWith("ControlPlane__Providers__AllowedHosts__", StringComparison.Ordinal)).Select(e => e.Text("value")!).ToList();
        Assert.Equal(egress, cp);
        // Each provider credential variable is bound to the hosts its secret may go to.
        Assert.Equal("env:OPENAI_API_KEY", env["Proxy__Egress__Credentials__0__Reference"]);
        Assert.Equal("api.openai.com", env["Proxy__Egress__Credentials__0__Hosts__0"]);
        Assert.All(env.Where(e => e.Key.StartsWith("Proxy__Egress__Credentials__", StringComparison.Ordinal) && e.Key.Contains("__Hosts__", StringComparison.Ordinal)),
            e => Assert.Contains(e.Value, egress));
        // The control plane's data-protection key ring, on its shared volume, is encrypted with a certificate from its secret.
        var cpEnv = Named("Deployment", "controlplane").Items("spec", "template", "spec", "containers").Single().Items("env").ToDictionary(e => e.Text("name")!, e => e.Text("value"));
        Assert.NotNull(cpEnv["ControlPlane__DataProtectionDirectory"]);
        Assert.StartsWith("/var/run/secrets/gateway/", cpEnv["ControlPlane__DataProtectionCertificateFile"], StringComparison.Ordinal);
        Assert.StartsWith("/var/run/secrets/gateway/", cpEnv["ControlPlane__DataProtectionCertificateKeyFile"], StringComparison.Ordinal);
        // What reaches the proxy from outside the pod targets the traffic port only.
        foreach (var port in Named("Service", "proxy").Items("spec", "ports"))
            Assert.Equal("http", port.Text("targetPort"));
        foreach (var rule in Named("Ingress", "proxy").Items("spec", "rules"))
        foreach (var path in rule.Items("http", "paths"))
            Assert.Equal("http", path.Text("backend", "service", "port", "name"));
    }

    [Fact]
    public void Secrets_AreOnlyReferenced_NeverWrittenIntoAManifest()
    {
        Assert.Empty(Kind("Secret"));
        var secretish = new[] { "SECRET", "PASSWORD", "CONNECTIONSTRINGS", "REDIS__CONFIGURATION", "APIKEY", "API_KEY", "TOKEN" };
        foreach (var deployment in Kind("Deployment"))
        {
            foreach (var container in deployment.Items("spec", "template", "spec", "containers"))
            {
                foreach (var env in container.Items("env"))
                {
                    var name = env.Text("name")!.ToUpperInvariant();
                    if (!secretish.Any(s => name.Contains(s, StringComparison.Ordinal))) continue;
                    Assert.True(env.Text("value") is null && env.At("valueFrom", "secretKeyRef", "name") is not null,
                        $"{deployment.Text("metadata", "name")}: {env.Text("name")} must come from a secretKeyRef");
                }
            }
        }
        foreach (var (file, doc) in All)
        {
            foreach (var (path, value) in RepositoryFiles.Scalars(doc))
            {
                Assert.False(value.Contains("BEGIN", StringComparison.Ordinal) && value.Contains("PRIVATE KEY", StringComparison.Ordinal), $"{file}{path}: a private key");
                Assert.False(value.Contains("Password=", StringComparison.OrdinalIgnoreCase), $"{file}{path}: a password");
            }
        }
    }

    [Fact]
    public void Selectors_MatchTheirPods_AndServicePortsExist()
    {
        var pods = Kind("Deployment").Select(d => (Labels: d.Map("spec", "template", "metadata", "labels"), Deployment: d)).ToList();
        foreach (var deployment in Kind("Deployment"))
        {
            var labels = deployment.Map("spec", "template", "metadata", "labels");
            foreach (var (k, v) in deployment.Map("spec", "selector", "matchLabels")) Assert.Equal(v, labels.GetValueOrDefault(k));
        }
        foreach (var service in Kind("Service"))
        {
            var selector = service.Map("spec", "selector");
            var matched = pods.Where(p => selector.All(s => p.Labels.GetValueOrDefault(s.Key) == s.Value)).ToList();
            Assert.True(matched.Count == 1, $"service {service.Text("metadata", "name")} selects {matched.Count} deployments");
            var containerPorts = matched[0].Deployment.Items("spec", "template", "spec", "containers").SelectMany(c => c.Items("ports")).Select(p => p.Text("name")).ToHashSet();
            foreach (var port in service.Items("spec", "ports")) Assert.Contains(port.Text("targetPort"), containerPorts);
        }
        foreach (var pdb in Kind("PodDisruptionBudget"))
        {
            var selector = pdb.Map("spec", "selector", "matchLabels");
            Assert.Single(pods, p => selector.All(s => p.Labels.GetValueOrDefault(s.Key) == s.Value));
        }
    }

    [Fact]
    public void TheProxy_ScalesWithAnAutoscaler_AndItsIngressStreams()
    {
        var hpa = Named("HorizontalPodAutoscaler", "proxy");
        Assert.Equal("Deployment", hpa.Text("spec", "scaleTargetRef", "kind"));
        Named("Deployment", hpa.Text("spec", "scaleTargetRef", "name")!);
        Assert.True(int.Parse(hpa.Text("spec", "minReplicas")!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
        Assert.True(int.Parse(hpa.Text("spec", "maxReplicas")!, System.Globalization.CultureInfo.InvariantCulture) > 2);

        var ingress = Named("Ingress", "proxy");
        var annotations = ingress.Map("metadata", "annotations");
        Assert.Equal("off", annotations["nginx.ingress.kubernetes.io/proxy-buffering"]);
        Assert.Equal("off", annotations["nginx.ingress.kubernetes.io/proxy-request-buffering"]);
        Assert.Equal("1.1", annotations["nginx.ingress.kubernetes.io/proxy-http-version"]);
        Assert.True(int.Parse(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"], System.Globalization.CultureInfo.InvariantCulture) >= 600);
        Assert.True(int.Parse(annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"], System.Globalization.CultureInfo.InvariantCulture) >= 600);
        foreach (var path in ingress.Items("spec", "rules").SelectMany(r => r.Items("http", "paths")))
        {
            var service = Named("Service", path.Text("backend", "service", "name")!);
            Assert.Contains(path.Text("backend", "service", "port", "name"), service.Items("spec", "ports").Select(p => p.Text("name")));
        }
        Assert.NotEmpty(ingress.Items("spec", "tls"));

        // Ready means a snapshot is in force; the node id is the pod's name; counters are shared in Redis.
        var proxy = Named("Deployment", "proxy").Items("spec", "template", "spec", "containers").Single();
        var env = proxy.Items("env").ToDictionary(e => e.Text("name")!, e => e);
        Assert.Equal("Redis", env["Proxy__Counters__Store"].Text("value"));
        Assert.Equal("metadata.name", env["Proxy__NodeId"].Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("Grpc", env["Proxy__Usage__Shipper"].Text("value"));
    }

    [Fact]
    public void TheProxy_StopsWithinItsGracePeriod_AndTakesProviderCredentialsFromASecret()
    {
        var pod = Named("Deployment", "proxy").At("spec", "template", "spec")!;
        var grace = int.Parse(pod.Text("terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture);
        var container = pod.Items("containers").Single();
        var env = container.Items("env").ToDictionary(e => e.Text("name")!, e => e);
        var preStop = container.Items("lifecycle", "preStop", "exec", "command").Select(c => ((YamlScalarNode)c).Value).ToList();
        var preStopSeconds = preStop is ["sleep", var s] ? int.Parse(s!, System.Globalization.CultureInfo.InvariantCulture) : 0;
        // The host's stop deadline (streams finish, the spool ships) must end before the kubelet's SIGKILL.
        var shutdown = int.Parse(env["DOTNET_SHUTDOWNTIMEOUTSECONDS"].Text("value")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(shutdown > 30, "the proxy's stop deadline should be longer than the host's 30 s default");
        Assert.True(preStopSeconds + shutdown < grace, $"preStop {preStopSeconds} s + stop deadline {shutdown} s must fit in the grace period {grace} s");

        Assert.Contains("gateway-provider-credentials", container.Items("envFrom").Select(e => e.Text("secretRef", "name")));
    }

    [Fact]
    public void EachKustomization_ListsEveryManifestBesideIt()
    {
        foreach (var file in Directory.GetFiles(Folder, "kustomization.yaml", SearchOption.AllDirectories))
        {
            var dir = Path.GetDirectoryName(file)!;
            var listed = RepositoryFiles.Documents(file).Single().Items("resources").Select(r => ((YamlScalarNode)r).Value!).ToHashSet(StringComparer.Ordinal);
            foreach (var manifest in Directory.GetFiles(dir, "*.yaml").Select(Path.GetFileName).Where(n => n != "kustomization.yaml"))
                Assert.Contains(manifest!, listed);
            foreach (var entry in listed) Assert.True(File.Exists(Path.Combine(dir, entry)) || File.Exists(Path.Combine(dir, entry, "kustomization.yaml")), $"{file}: {entry} does not exist");
        }
    }
}
