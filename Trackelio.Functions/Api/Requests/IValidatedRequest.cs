namespace Trackelio.Functions.Api.Requests;

/// <summary>A handler parameter read and checked by <see cref="RequestValidationMiddleware"/>.</summary>
public interface IValidatedRequest
{
    /// <summary>Reads the request part; adds bad fields to <paramref name="errors"/>; returns an error that ends the request (413, 415, malformed JSON).</summary>
    ValueTask<ApiError?> ValidateAsync(HttpContext http, List<FieldError> errors);
}
