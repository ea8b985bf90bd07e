using Gateway.MockLlm;

var app = MockLlmApp.Build(args);
app.Run();
