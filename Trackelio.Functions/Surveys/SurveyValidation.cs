using System.Text.Json;
using System.Text.RegularExpressions;
using Trackelio.Functions.Api;
using Trackelio.Functions.Targeting;

namespace Trackelio.Functions.Surveys;

/// <summary>What a survey definition may hold, and whether answers fit one.</summary>
public static partial class SurveyValidation
{
    public static readonly string[] Positions = ["bottom-right", "bottom-left", "center", "inline"];
    public static readonly string[] Frequencies = ["once", "until_answered", "every_visit"];

    public static void ValidateDefinition(Survey survey, FieldReader fields)
    {
        if (string.IsNullOrWhiteSpace(survey.Name) || survey.Name.Length > 200)
        {
            fields.Fail("name", "is required (at most 200 characters)");
        }
        var language = survey.DefaultLanguage ?? "";
        if (!LanguageCode.IsValid(language))
        {
            fields.Fail("default_language", "must be a language code like en or de-CH");
        }
        if (survey.Questions.Count > 50)
        {
            fields.Fail("questions", "may hold at most 50 questions");
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < survey.Questions.Count; i++)
        {
            var q = survey.Questions[i];
            var path = $"questions[{i}]";
            if (q.Id is null || !Identifier().IsMatch(q.Id) || !ids.Add(q.Id))
            {
                fields.Fail(path + ".id", "must be a unique id of a-z, 0-9, _ or - (at most 64)");
            }
            if (!SurveyQuestion.Types.Contains(q.Type))
            {
                fields.Fail(path + ".type", "must be one of " + string.Join(", ", SurveyQuestion.Types));
            }
            Texts(q.Title, language, path + ".title", 500, fields, required: true);
            Texts(q.Description, language, path + ".description", 2000, fields, required: false);
            var choice = q.Type is "single_choice" or "multiple_choice";
            if (choice && q.Options.Count is < 2 or > 50)
            {
                fields.Fail(path + ".options", "a choice question needs 2 to 50 options");
            }
            if (!choice && q.Options.Count > 0)
            {
                fields.Fail(path + ".options", $"a {q.Type} question has no options");
            }
            var optionIds = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < q.Options.Count; j++)
            {
                if (q.Options[j].Id is null || !Identifier().IsMatch(q.Options[j].Id) || !optionIds.Add(q.Options[j].Id))
                {
                    fields.Fail($"{path}.options[{j}].id", "must be a unique id of a-z, 0-9, _ or -");
                }
                Texts(q.Options[j].Label, language, $"{path}.options[{j}].label", 200, fields, required: true);
            }
            if (q.Type == "rating" && (q.Min ?? 1, q.Max ?? 5) is var (min, max) && (min < 0 || max > 10 || max - min < 1))
            {
                fields.Fail(path, "a rating runs from min (≥ 0) to max (≤ 10), max above min");
            }
        }
        TargetingEngine.Validate(survey.Targeting, fields, "targeting");
        if (!Positions.Contains(survey.Display.Position))
        {
            fields.Fail("display.position", "must be one of " + string.Join(", ", Positions));
        }
        if (!Frequencies.Contains(survey.Display.Frequency))
        {
            fields.Fail("display.frequency", "must be one of " + string.Join(", ", Frequencies));
        }
        if (survey.Display.DelaySeconds is < 0 or > 3600)
        {
            fields.Fail("display.delay_seconds", "must be from 0 to 3600");
        }
        if (survey.StartsAt is { } starts && survey.EndsAt is { } ends && ends <= starts)
        {
            fields.Fail("ends_at", "must be after starts_at");
        }
    }

    /// <summary>
    /// A change to a survey that is (or was) live may not break the answers already given: no
    /// question removed or retyped, no option removed, no rating range narrowed, nothing made
    /// required that was optional. Adding optional questions, options and texts is fine.
    /// </summary>
    public static void ValidateChangeOfLive(Survey before, Survey after, FieldReader fields)
    {
        foreach (var old in before.Questions)
        {
            var now = after.Questions.FirstOrDefault(q => q.Id == old.Id);
            if (now is null)
            {
                fields.Fail("questions", $"question '{old.Id}' has answers and cannot be removed from a live survey");
                continue;
            }
            if (now.Type != old.Type)
            {
                fields.Fail("questions", $"question '{old.Id}' cannot change its type in a live survey");
            }
            foreach (var option in old.Options.Where(o => now.Options.All(n => n.Id != o.Id)))
            {
                fields.Fail("questions", $"option '{option.Id}' of '{old.Id}' cannot be removed from a live survey");
            }
            if ((now.Min ?? 1) > (old.Min ?? 1) || (now.Max ?? 5) < (old.Max ?? 5))
            {
                fields.Fail("questions", $"the rating range of '{old.Id}' cannot be narrowed in a live survey");
            }
            if (now.Required && !old.Required)
            {
                fields.Fail("questions", $"question '{old.Id}' cannot become required in a live survey");
            }
        }
        foreach (var added in after.Questions.Where(q => before.Questions.All(o => o.Id != q.Id) && q.Required))
        {
            fields.Fail("questions", $"new question '{added.Id}' must be optional in a live survey");
        }
    }

    /// <summary>The answers, checked against the definition: one detail per problem.</summary>
    public static IReadOnlyList<Responses.SurveyAnswer> ValidateAnswers(Survey survey, JsonElement? answers, FieldReader fields)
    {
        var result = new List<Responses.SurveyAnswer>();
        var given = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var answer in answers?.EnumerateArray() ?? default)
        {
            var path = $"answers[{index++}]";
            var questionId = fields.String(answer, "question_id", path + ".question_id", 64, required: true);
            if (questionId is null)
            {
                continue;
            }
            var question = survey.Questions.FirstOrDefault(q => q.Id == questionId);
            if (question is null)
            {
                fields.Fail(path + ".question_id", "is not a question of this survey");
                continue;
            }
            if (!given.Add(questionId))
            {
                fields.Fail(path + ".question_id", "is answered twice");
                continue;
            }
            var value = FieldReader.Get(answer, "value");
            if (value is null)
            {
                if (question.Required)
                {
                    fields.Fail(path + ".value", "is required");
                }
                continue;
            }
            if (CheckValue(question, value.Value) is { } problem)
            {
                fields.Fail(path + ".value", problem);
                continue;
            }
            result.Add(new Responses.SurveyAnswer(questionId, value.Value.Clone()));
        }
        foreach (var missing in survey.Questions.Where(q => q.Required && !given.Contains(q.Id)))
        {
            fields.Fail($"answers.{missing.Id}", "is required");
        }
        return result;
    }

    private static string? CheckValue(SurveyQuestion question, JsonElement value)
    {
        switch (question.Type)
        {
            case "single_choice":
                return value.ValueKind == JsonValueKind.String && question.Options.Any(o => o.Id == value.GetString())
                    ? null : "must be the id of one of the question's options";
            case "multiple_choice":
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
                {
                    return "must be a non-empty list of option ids";
                }
                var chosen = value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : null).ToList();
                return chosen.All(c => c is not null && question.Options.Any(o => o.Id == c)) && chosen.Distinct().Count() == chosen.Count
                    ? null : "must list distinct ids of the question's options";
            case "text":
                return value.ValueKind == JsonValueKind.String && value.GetString()!.Length <= 5000 ? null : "must be text of at most 5000 characters";
            case "rating":
                var (min, max) = (question.Min ?? 1, question.Max ?? 5);
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var rating) && rating >= min && rating <= max
                    ? null : $"must be an integer from {min} to {max}";
            case "nps":
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var score) && score is >= 0 and <= 10
                    ? null : "must be an integer from 0 to 10";
            default:
                return "cannot be answered";
        }
    }

    private static void Texts(IReadOnlyDictionary<string, string>? texts, string defaultLanguage, string path, int max, FieldReader fields, bool required)
    {
        if (texts is null)
        {
            if (required)
            {
                fields.Fail(path, $"is required, at least in {defaultLanguage}");
            }
            return;
        }
        if (!texts.ContainsKey(defaultLanguage))
        {
            fields.Fail(path, $"needs a text in the default language ({defaultLanguage})");
        }
        foreach (var (language, text) in texts)
        {
            if (!LanguageCode.IsValid(language) || string.IsNullOrWhiteSpace(text) || text.Length > max)
            {
                fields.Fail($"{path}.{language}", $"must be a language code with a text of 1 to {max} characters");
            }
        }
    }


    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    private static partial Regex Identifier();
}
