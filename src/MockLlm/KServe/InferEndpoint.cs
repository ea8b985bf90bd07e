using System.Text.Json;
using Gateway.MockLlm.Http;

namespace Gateway.MockLlm.KServe;

/// <summary>
/// <c>POST /v2/models/{name}/infer</c>. Every input tensor is validated (name, datatype, shape,
/// data whose element count matches the shape, values of the datatype; flat or nested data);
/// all inputs share the batch size (first dimension; 1 for rank 0 or 1). The output <c>score</c>
/// (FP32, shape [batch, 1]) is, per row, sigmoid(Σ_j w_j·x_j) over the row's values of every
/// input with w_j = ((j mod 7) − 3) / 10 (BOOL as 0/1, BYTES as their length).
/// </summary>
internal static class InferEndpoint
{
    private const int MaxElements = 10_000_000;

    public static async Task HandleAsync(HttpContext context)
    {
        var core = context.RequestServices.GetRequiredService<MockLlmCore>();
        var model = KServeEndpoints.ModelName(context);
        var knobs = core.Knobs(context);
        using var body = await JsonBody.ReadAsync(context);
        var root = body.Root;
        var id = Json.OptionalString(root, "id", "id");
        var inputs = Json.RequiredArray(root, "inputs", "inputs");

        var batch = -1;
        var sums = Array.Empty<double>();
        var i = 0;
        foreach (var input in inputs.EnumerateArray())
        {
            var tensor = InferTensor.Parse(input, $"inputs[{i}]");
            if (batch < 0)
            {
                batch = tensor.Batch;
                sums = new double[batch];
            }
            else if (tensor.Batch != batch)
            {
                throw new MockHttpException(400, $"inputs[{i}] has batch size {tensor.Batch} but inputs[0] has {batch}.", $"inputs[{i}].shape");
            }
            tensor.AddWeightedSums(sums);
            i++;
        }

        await core.DelayAsync(knobs.DelayMs, context.RequestAborted);
        if (await core.TryForcedErrorAsync(context, Provider.KServe, knobs, KServeEndpoints.Endpoint, model, streamed: false)) return;
        var tally = core.Tally.Begin(context, KServeEndpoints.Endpoint, model, streamed: false);
        if (await core.TryDropJsonAsync(context, knobs, tally)) return;

        var json = JsonResponse.Start(context);
        json.WriteStartObject();
        json.WriteString("model_name"u8, model);
        json.WriteString("model_version"u8, KServeEndpoints.Version);
        json.WriteString("id"u8, id ?? context.RequestId());
        json.WriteStartArray("outputs"u8);
        json.WriteStartObject();
        json.WriteString("name"u8, "score"u8);
        json.WriteString("datatype"u8, "FP32"u8);
        json.WriteStartArray("shape"u8);
        json.WriteNumberValue(batch);
        json.WriteNumberValue(1);
        json.WriteEndArray();
        json.WriteStartArray("data"u8);
        foreach (var sum in sums) json.WriteNumberValue((float)(1.0 / (1.0 + Math.Exp(-sum))));
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        if (await JsonResponse.FinishAsync(context, json)) tally.Finish(StatusCodes.Status200OK, completed: true);
    }

    /// <summary>One validated input tensor.</summary>
    private readonly struct InferTensor
    {
        private readonly JsonElement _data;
        private readonly string _datatype;
        private readonly long _elements;

        private InferTensor(JsonElement data, string datatype, int batch, long elements)
        {
            _data = data;
            _datatype = datatype;
            Batch = batch;
            _elements = elements;
        }

        public int Batch { get; }

        public static InferTensor Parse(JsonElement input, string at)
        {
            if (input.ValueKind != JsonValueKind.Object) throw Json.WrongType(at, "an object");
            Json.RequiredString(input, "name", $"{at}.name");
            var datatype = Json.RequiredString(input, "datatype", $"{at}.datatype");
            if (!IsDatatype(datatype)) throw new MockHttpException(400, $"{at}.datatype '{datatype}' is not a v2 datatype (BOOL, UINT8…UINT64, INT8…INT64, FP16, FP32, FP64, BYTES).", $"{at}.datatype");
            var shape = Json.RequiredArray(input, "shape", $"{at}.shape", nonEmpty: false);
            if (shape.GetArrayLength() > 16) throw new MockHttpException(400, $"{at}.shape has more than 16 dimensions.", $"{at}.shape");
            var dims = new int[shape.GetArrayLength()];
            long elements = 1;
            var d = 0;
            foreach (var dim in shape.EnumerateArray())
            {
                if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt32(out var size) || size < 0)
                {
                    throw new MockHttpException(400, $"{at}.shape[{d}] must be a non-negative integer.", $"{at}.shape");
                }
                dims[d++] = size;
                elements *= size;
                if (elements > MaxElements) throw new MockHttpException(400, $"{at} has more than {MaxElements} elements.", $"{at}.shape");
            }
            var batch = dims.Length >= 2 ? dims[0] : 1;
            var data = Json.RequiredArray(input, "data", $"{at}.data", nonEmpty: false);
            var count = 0L;
            var nested = data.GetArrayLength() > 0 && data[0].ValueKind == JsonValueKind.Array;
            CheckData(data, datatype, $"{at}.data", ref count, nested ? dims : null, 0);
            if (count != elements)
            {
                throw new MockHttpException(400, $"{at}.data has {count} elements but shape {shape.GetRawText()} needs {elements}.", $"{at}.data");
            }
            return new InferTensor(data, datatype, batch, elements);
        }

        /// <summary>Adds Σ_j w_j·x_j of each row to <paramref name="sums"/>.</summary>
        public void AddWeightedSums(double[] sums)
        {
            if (Batch == 0) return;
            var perRow = _elements / Batch;
            var index = 0L;
            Accumulate(_data, sums, perRow, ref index);
        }

        private void Accumulate(JsonElement data, double[] sums, long perRow, ref long index)
        {
            foreach (var value in data.EnumerateArray())
            {
                if (value.ValueKind == JsonValueKind.Array)
                {
                    Accumulate(value, sums, perRow, ref index);
                    continue;
                }
                var x = value.ValueKind switch
                {
                    JsonValueKind.True => 1.0,
                    JsonValueKind.False => 0.0,
                    JsonValueKind.String => value.GetString()!.Length,
                    _ => value.GetDouble(),
                };
                var column = perRow == 0 ? 0 : index % perRow;
                sums[perRow == 0 ? 0 : (int)(index / perRow)] += ((column % 7) - 3) / 10.0 * x;
                index++;
            }
        }

        /// <summary>
        /// Flat data (<paramref name="dims"/> null): no element may be an array. Nested data: every level
        /// <c>d</c> has exactly <c>shape[d]</c> elements and the values sit at the last level.
        /// </summary>
        private static void CheckData(JsonElement data, string datatype, string at, ref long count, int[]? dims, int depth)
        {
            if (dims is not null)
            {
                if (depth >= dims.Length || data.GetArrayLength() != dims[depth])
                {
                    throw new MockHttpException(400, $"{at} is nested differently from its shape [{string.Join(',', dims)}].", at);
                }
            }
            var leafLevel = dims is null || depth == dims.Length - 1;
            foreach (var value in data.EnumerateArray())
            {
                if (value.ValueKind == JsonValueKind.Array)
                {
                    if (leafLevel) throw new MockHttpException(400, $"{at} is nested differently from its shape.", at);
                    CheckData(value, datatype, at, ref count, dims, depth + 1);
                    continue;
                }
                if (!leafLevel) throw new MockHttpException(400, $"{at} is nested differently from its shape [{string.Join(',', dims!)}].", at);
                if (!Fits(value, datatype))
                {
                    throw new MockHttpException(400, $"{at} element {count} ({value.GetRawText()}) is not a valid {datatype} value.", at);
                }
                if (++count > MaxElements) throw new MockHttpException(400, $"{at} has more than {MaxElements} elements.", at);
            }
        }

        private static bool Fits(JsonElement value, string datatype) => datatype switch
        {
            "BOOL" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "BYTES" => value.ValueKind == JsonValueKind.String,
            "FP16" or "FP32" or "FP64" => value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble()),
            "UINT8" => InRange(value, 0, byte.MaxValue),
            "UINT16" => InRange(value, 0, ushort.MaxValue),
            "UINT32" => InRange(value, 0, uint.MaxValue),
            "UINT64" => value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out _),
            "INT8" => InRange(value, sbyte.MinValue, sbyte.MaxValue),
            "INT16" => InRange(value, short.MinValue, short.MaxValue),
            "INT32" => InRange(value, int.MinValue, int.MaxValue),
            "INT64" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            _ => false,
        };

        private static bool InRange(JsonElement value, long min, long max) =>
            value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var v) && v >= min && v <= max;

        private static bool IsDatatype(string datatype) => datatype is "BOOL" or "BYTES" or "FP16" or "FP32" or "FP64"
            or "UINT8" or "UINT16" or "UINT32" or "UINT64" or "INT8" or "INT16" or "INT32" or "INT64";
    }
}
