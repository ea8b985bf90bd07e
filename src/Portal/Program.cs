using Gateway.Portal;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(o => o.ResilientHttpClients = false);
builder.AddPortal();

var app = builder.Build();
app.MapPortal();
app.Run();
