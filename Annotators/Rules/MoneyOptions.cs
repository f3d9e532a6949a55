namespace Herald.Annotators.Rules;

/// <summary>Options of the <c>money</c> kind.</summary>
public sealed class MoneyOptions
{
    /// <summary>Amounts below this face value (in their own currency, no conversion) are ignored.</summary>
    public decimal MinAmount { get; init; }
}
