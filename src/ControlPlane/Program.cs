using Gateway.ControlPlane;

var app = ControlPlaneApp.Build(args);
await app.RunAsync();
