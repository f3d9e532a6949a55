using Herald.Annotators.Onnx.Heads;

namespace Herald.Tests.Onnx;

/// <summary>The job titles the role head chooses the appointee's among.</summary>
public sealed class JobTitlesTests
{
    [Theory]
    [InlineData("Kiezkasse hired Lasse Brückner as chief financial officer.", "chief financial officer")]
    [InlineData("Lumenwell named her Chief Product Officer on Monday.", "Chief Product Officer")]
    [InlineData("He becomes chief executive officer in May.", "chief executive officer")]
    [InlineData("She was appointed chair of its board.", "chair of its board")]
    [InlineData("Ravi Menon joins as managing director and CEO.", "managing director and CEO")]
    [InlineData("The bank hired a new head of Europe from a rival.", "head of Europe")]
    [InlineData("Ortiz was named interim chief executive.", "interim chief executive")]
    [InlineData("Sophie Marchal devient directrice générale.", "directrice générale")]
    [InlineData("Named president and chief operating officer last week.", "president and chief operating officer")]
    [InlineData("Okafor returns to Brightmoor Capital as managing partner.", "managing partner")]
    [InlineData("Tamsin Reed joins the board as a non-executive director.", "non-executive director")]
    [InlineData("Previously VP finance at a lender, she starts in June.", "VP finance")]
    public void Finds_the_whole_title(string text, string title)
    {
        Assert.Contains(title, JobTitles.Find(text).Select(t => t.Text));
        Assert.All(JobTitles.Find(text), t => Assert.Equal(t.Text, text[t.Start..t.End]));
    }

    [Theory]
    [InlineData("The chief reason was cost, the officer said.")]
    [InlineData("Directors of the fund met in Headingley.")]
    public void Finds_no_title_in_ordinary_words(string text) => Assert.Empty(JobTitles.Find(text));
}
