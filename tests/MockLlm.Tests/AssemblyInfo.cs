[assembly: AssemblyFixture(typeof(Gateway.MockLlm.Tests.MockLlmFixture))]
