using System.Text.Json;
using Trackelio.Functions.Responses;

namespace Trackelio.Functions.Surveys;

/// <summary>Per-question results of a survey.</summary>
public sealed record QuestionResults(string QuestionId, string Type, int Answered, IReadOnlyDictionary<string, int>? OptionCounts,
    double? AverageRating, double? NpsScore, IReadOnlyList<string>? LatestTexts);

public sealed record SurveyResults(string SurveyId, int Responses, IReadOnlyList<QuestionResults> Questions);

/// <summary>
/// A survey's results from per-day tallies (<see cref="ResponseDays"/>, subject = the survey id): each
/// closed day since the survey was made from its stored tally, the days not yet closed read live. The
/// cost follows the survey's days and questions, not its responses: two queries of at most one row a
/// day, the live days' responses, and for text questions one read per latest text shown from a closed day.
/// <para>
/// Every figure merges exactly: counts add up; a rating average and an NPS score are made of sums and
/// counts of whole numbers. The latest texts are the newest of each day's newest: a day's tally keeps,
/// per text question, which answers (response id and position) its newest <see cref="LatestTexts"/>
/// texts are — never the texts, so an erased answer's text is in no tally — and those few responses
/// are read when the results are. A question's type and option ids do not change once a survey has
/// answers (<see cref="SurveyValidation.ValidateChangeOfLive"/>), so tallies made under an older
/// definition count the same as the current one would.
/// </para>
/// </summary>
public sealed class SurveyResultsReader(IResponseStore responses, ResponseDays days)
{
    public const int LatestTexts = 20;

    public async Task<SurveyResults> ReadAsync(Survey survey, CancellationToken cancellationToken)
    {
        // Answers come while the survey is live, after it was made; a day's margin for clocks that disagree.
        var first = ResponseDays.DayStart(survey.CreatedAt).AddDays(-1);
        var closedBefore = days.ClosedBefore();
        var liveFrom = closedBefore > first ? closedBefore : first;

        var stored = days.ReadAsync<SurveyTally, ResponseRecord>(survey.WorkspaceId, survey.Id, first, liveFrom, (from, to, ct) => Answers(survey, from, to, ct),
            response => response.Id, (tally, response) => tally.Add(survey, response), cancellationToken);
        var live = new SurveyTally();
        var read = new Dictionary<string, ResponseRecord?>(StringComparer.Ordinal); // the live days' responses need no second read for their texts
        await foreach (var response in Answers(survey, liveFrom, null, cancellationToken))
        {
            live.Add(survey, response);
            read[response.Id] = response;
        }
        var total = new SurveyTally();
        foreach (var (_, day) in await stored)
        {
            total.Add(day);
        }
        total.Add(live);

        var texts = await TextsAsync(survey, total, read, cancellationToken);
        var questions = survey.Questions.Select(q => Results(q, total.Questions.GetValueOrDefault(q.Id) ?? new QuestionTally(), texts)).ToList();
        return new SurveyResults(survey.Id, total.Responses, questions);
    }

    private static QuestionResults Results(SurveyQuestion q, QuestionTally tally, IReadOnlyDictionary<TextRef, string> texts) => new(
        q.Id, q.Type, tally.Answered,
        q.Type is "single_choice" or "multiple_choice" ? q.Options.ToDictionary(o => o.Id, o => tally.Options.GetValueOrDefault(o.Id)) : null,
        q.Type == "rating" && tally.Numbers > 0 ? Math.Round(tally.NumberSum / tally.Numbers, 2) : null,
        q.Type == "nps" && tally.Numbers > 0 ? Math.Round(100.0 * (tally.Promoters - tally.Detractors) / tally.Numbers, 1) : null,
        q.Type == "text" ? tally.Texts.AsEnumerable().Reverse().Where(texts.ContainsKey).Select(t => texts[t]).ToList() : null);

    /// <summary>The survey's responses whose id is in [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    private IAsyncEnumerable<ResponseRecord> Answers(Survey survey, DateTimeOffset from, DateTimeOffset? to, CancellationToken cancellationToken) =>
        responses.ScanAsync(survey.WorkspaceId, new ResponseQuery { Kinds = ["survey"], SurveyId = survey.Id, From = from, To = to }, cancellationToken);

    /// <summary>The texts the results show, read from their responses (at most <see cref="LatestTexts"/> per text question).</summary>
    private async Task<Dictionary<TextRef, string>> TextsAsync(Survey survey, SurveyTally total, Dictionary<string, ResponseRecord?> read,
        CancellationToken cancellationToken)
    {
        var wanted = survey.Questions.Where(q => q.Type == "text").SelectMany(q => total.Questions.GetValueOrDefault(q.Id)?.Texts ?? []).ToList();
        await Parallel.ForEachAsync(wanted.Select(t => t.Response).Distinct(StringComparer.Ordinal).Where(id => !read.ContainsKey(id)).ToList(),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (id, ct) =>
            {
                var response = await responses.GetAsync(survey.WorkspaceId, id, ct);
                lock (read)
                {
                    read[id] = response;
                }
            });
        var texts = new Dictionary<TextRef, string>();
        foreach (var text in wanted)
        {
            // Null only for a response erased since its day was tallied (the next read tallies that day again).
            if (read[text.Response] is { } response && text.Answer < response.Answers.Count && response.Answers[text.Answer].Value.ValueKind == JsonValueKind.String)
            {
                texts[text] = response.Answers[text.Answer].Value.GetString()!;
            }
        }
        return texts;
    }
}

/// <summary>One text answer: its response and its position among the response's answers.</summary>
public sealed record TextRef(string Response, int Answer);

/// <summary>What a survey's answers add up to, per question: one UTC day's (stored) or any set's, mergeable.</summary>
public sealed class SurveyTally : IDayTally
{
    public int Responses { get; set; }
    public Dictionary<string, QuestionTally> Questions { get; set; } = new(StringComparer.Ordinal);
    public string? Version { get; set; }

    public void Add(Survey survey, ResponseRecord response)
    {
        Responses++;
        for (var i = 0; i < response.Answers.Count; i++)
        {
            var answer = response.Answers[i];
            if (!Questions.TryGetValue(answer.QuestionId, out var question))
            {
                Questions[answer.QuestionId] = question = new QuestionTally();
            }
            var isText = survey.Questions.FirstOrDefault(q => q.Id == answer.QuestionId)?.Type == "text";
            question.Add(answer.Value, isText ? new TextRef(response.Id, i) : null);
        }
    }

    /// <summary>Adds a later set of answers (texts keep their order: oldest first).</summary>
    public void Add(SurveyTally later)
    {
        Responses += later.Responses;
        foreach (var (id, add) in later.Questions)
        {
            if (!Questions.TryGetValue(id, out var question))
            {
                Questions[id] = question = new QuestionTally();
            }
            question.Add(add);
        }
    }
}

/// <summary>One question's answers counted: all of them, per option, the numbers given, and the newest texts.</summary>
public sealed class QuestionTally
{
    public int Answered { get; set; }

    /// <summary>Answers naming each option (a choice, or a list of choices).</summary>
    public Dictionary<string, int> Options { get; set; } = new(StringComparer.Ordinal);

    public int Numbers { get; set; }
    public double NumberSum { get; set; }

    /// <summary>Numbers of 9 or more, and of 6 or less (for an NPS question).</summary>
    public int Promoters { get; set; }

    public int Detractors { get; set; }

    /// <summary>The newest text answers (at most <see cref="SurveyResultsReader.LatestTexts"/>), oldest first.</summary>
    public List<TextRef> Texts { get; set; } = [];

    public void Add(JsonElement value, TextRef? text)
    {
        Answered++;
        switch (value.ValueKind)
        {
            case JsonValueKind.String when text is not null:
                Texts.Add(text);
                Trim();
                break;
            case JsonValueKind.String:
                Options[value.GetString()!] = Options.GetValueOrDefault(value.GetString()!) + 1;
                break;
            case JsonValueKind.Array:
                foreach (var choice in value.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!).Distinct(StringComparer.Ordinal))
                {
                    Options[choice] = Options.GetValueOrDefault(choice) + 1;
                }
                break;
            case JsonValueKind.Number:
                var number = value.GetDouble();
                Numbers++;
                NumberSum += number;
                Promoters += number >= 9 ? 1 : 0;
                Detractors += number <= 6 ? 1 : 0;
                break;
        }
    }

    public void Add(QuestionTally later)
    {
        Answered += later.Answered;
        foreach (var (option, n) in later.Options)
        {
            Options[option] = Options.GetValueOrDefault(option) + n;
        }
        Numbers += later.Numbers;
        NumberSum += later.NumberSum;
        Promoters += later.Promoters;
        Detractors += later.Detractors;
        Texts.AddRange(later.Texts);
        Trim();
    }

    private void Trim()
    {
        if (Texts.Count > SurveyResultsReader.LatestTexts)
        {
            Texts.RemoveRange(0, Texts.Count - SurveyResultsReader.LatestTexts);
        }
    }
}
