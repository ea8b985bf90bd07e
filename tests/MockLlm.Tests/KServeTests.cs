using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Gateway.MockLlm.Tests;

/// <summary>The open inference protocol v2 (KServe/Triton).</summary>
public sealed class KServeTests(MockLlmFixture host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/v2/health/live", "live")]
    [InlineData("/v2/health/ready", "ready")]
    [InlineData("/v2/models/fraud-scorer-2/ready", "ready")]
    public async Task Health_AndReadiness_AreTrue(string path, string flag)
    {
        var body = await host.Http.GetFromJsonAsync<JsonElement>(path, Ct);
        Assert.True(body.GetProperty(flag).GetBoolean());
    }

    [Fact]
    public async Task Metadata_DescribesTheModel()
    {
        var body = await host.Http.GetFromJsonAsync<JsonElement>("/v2/models/fraud-scorer-2", Ct);
        Assert.Equal("fraud-scorer-2", body.GetProperty("name").GetString());
        Assert.Equal("1", body.GetProperty("versions")[0].GetString());
        Assert.Equal("score", body.GetProperty("outputs")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Infer_ScoresEachRow_FromTheInputs()
    {
        const string body = """
            {"id":"req-7","inputs":[
              {"name":"amount","shape":[2,3],"datatype":"FP32","data":[[1,2,3],[4,5,6]]},
              {"name":"flags","shape":[2,1],"datatype":"BOOL","data":[true,false]}]}
            """;
        using var response = await host.Http.PostAsync("/v2/models/fraud-scorer-2/infer", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal("fraud-scorer-2", result.GetProperty("model_name").GetString());
        Assert.Equal("req-7", result.GetProperty("id").GetString());
        var output = result.GetProperty("outputs")[0];
        Assert.Equal("FP32", output.GetProperty("datatype").GetString());
        Assert.Equal([2, 1], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());
        // score = sigmoid(Σ w_j x_j), w_j = ((j mod 7) - 3) / 10, per input's row
        static double W(int j) => ((j % 7) - 3) / 10.0;
        var row0 = W(0) * 1 + W(1) * 2 + W(2) * 3 + W(0) * 1;
        var row1 = W(0) * 4 + W(1) * 5 + W(2) * 6 + W(0) * 0;
        var data = output.GetProperty("data");
        Assert.Equal(1 / (1 + Math.Exp(-row0)), data[0].GetDouble(), 5);
        Assert.Equal(1 / (1 + Math.Exp(-row1)), data[1].GetDouble(), 5);
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"x","shape":[2,3],"datatype":"FP32","data":[1,2,3]}]}""")]
    [InlineData("""{"inputs":[{"name":"x","shape":[2],"datatype":"INT8","data":[1,300]}]}""")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP99","data":[1]}]}""")]
    [InlineData("""{"inputs":[{"name":"x","shape":[-1],"datatype":"FP32","data":[1]}]}""")]
    [InlineData("""{"inputs":[{"shape":[1],"datatype":"FP32","data":[1]}]}""")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"BOOL","data":["yes"]}]}""")]
    [InlineData("""{"inputs":[{"name":"x","shape":[2,1],"datatype":"FP32","data":[1,2]},{"name":"y","shape":[3,1],"datatype":"FP32","data":[1,2,3]}]}""")]
    [InlineData("""{"inputs":[]}""")]
    [InlineData("""{"inputs":"x"}""")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]""")]
    public async Task Infer_MalformedTensors_Are400_WithV2ErrorShape(string body)
    {
        using var response = await host.Http.PostAsync("/v2/models/m/infer", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(JsonValueKind.String, error.GetProperty("error").ValueKind);
    }
}
