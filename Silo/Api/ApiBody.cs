using System.Text.Json;
using Herald.Grains.Documents;

namespace Herald.Silo.Api;

/// <summary>A request refused with its problem (400, 413), raised while reading a body and answered as problem+json.</summary>
internal sealed class RequestRefusedException(IResult problem) : Exception
{
    public IResult Problem { get; } = problem;
}

/// <summary>
/// Reads JSON request bodies by hand rather than by binding (the endpoint's Accepts metadata has checked the content
/// type), so that each refusal says exactly what is wrong, and so
/// that the bytes follow the input topic's rules (<see cref="DocumentParser.TextProblem"/>: UTF-8 throughout, no lone
/// surrogate escapes) instead of being silently repaired.
/// </summary>
internal static class ApiBody
{
    public static async Task<JsonDocument> ReadJsonAsync(HttpContext http)
    {
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            try
            {
                await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw new RequestRefusedException(Problems.TooLarge(ErrorDetails.BodyTooLarge(http)));
            }
            bytes = buffer.ToArray();
        }
        if (bytes.Length == 0) throw new RequestRefusedException(Problems.BadRequest("the body is empty: it must be a JSON object"));
        if (DocumentParser.TextProblem(bytes) is { } problem) throw new RequestRefusedException(Problems.BadRequest($"the body is not valid text: {problem}"));
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new RequestRefusedException(Problems.BadRequest($"the body is not valid JSON: {e.Message}"));
        }
    }
}
