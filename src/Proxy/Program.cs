using Gateway.Proxy.Hosting;

var app = ProxyApp.Build(args);
app.Run();
