namespace DeviceFabric.Alerts;

/// <summary>
/// A streaming detector of one device's field, in constant memory: it learns the level and spread of the values
/// (exponentially weighted mean and variance, after a warm-up) and scores each new value against them. Spikes and dips
/// are values whose distance from the level, in learned standard deviations, exceeds the two-sided normal quantile of
/// the confidence; they do not teach the detector. Change points are found by a two-sided CUSUM of those distances,
/// whose threshold grows with the confidence; after one the detector learns the new level afresh.
/// </summary>
internal sealed class AnomalyDetector(AnomalyKind kind, double confidence)
{
    /// <summary>Values learned before anything is scored.</summary>
    public const int WarmUp = 30;

    /// <summary>How fast the level follows the values (its memory is about 1 / this, in values).</summary>
    private const double Alpha = 0.01;

    /// <summary>How fast the spread follows: slower than the level, so the threshold it sets does not wobble.</summary>
    private const double SpreadAlpha = 0.002;
    private const double CusumSlack = 0.5;

    private readonly double _threshold = kind == AnomalyKind.SpikeAndDip ? NormalQuantile(1 - ((1 - (confidence / 100)) / 2)) : CusumLimit(confidence);
    private long _seen;
    private double _mean;
    private double _variance;
    private double _up;
    private double _down;
    private int _spikesInARow;

    /// <summary>Spikes on one side this many times in a row are a new level, not spikes: the detector learns it afresh.</summary>
    private const int SpikesMakeALevel = 10;

    /// <summary>Scores a value (its distance from the level in standard deviations) and learns from it.</summary>
    public AnomalyResult Add(double value)
    {
        if (_seen < WarmUp)
        {
            Learn(value, 1.0 / (_seen + 1), 1.0 / (_seen + 1));
            _seen++;
            return new AnomalyResult(false, 0, _mean);
        }

        // A series that never varied (a constant during warm-up) still gets a spread: a millionth of its level.
        var deviation = Math.Sqrt(Math.Max(_variance, Math.Max(1e-12, Math.Pow(1e-6 * _mean, 2))));
        var z = (value - _mean) / deviation;
        var expected = _mean;
        if (kind == AnomalyKind.SpikeAndDip)
        {
            var spike = Math.Abs(z) > _threshold;
            if (!spike)
            {
                _spikesInARow = 0;
                Learn(value, Math.Max(Alpha, 1.0 / (_seen + 1)), Math.Max(SpreadAlpha, 1.0 / (_seen + 1)));
                _seen++;
            }
            else if (++_spikesInARow >= SpikesMakeALevel)
            {
                // The level moved (spikes do not teach the detector, so without this it would flag every value after).
                (_seen, _mean, _variance, _spikesInARow) = (1, value, 0, 0);
            }

            return new AnomalyResult(spike, z, expected);
        }

        _up = Math.Max(0, _up + z - CusumSlack);
        _down = Math.Max(0, _down - z - CusumSlack);
        var shifted = _up > _threshold || _down > _threshold;
        if (shifted)
        {
            // A new level: learn it from here, quickly (the next values seed a fresh warm-up).
            (_seen, _up, _down, _mean, _variance) = (1, 0, 0, value, 0);
        }
        else
        {
            // Running averages until there are enough values for the exponential ones to be the better estimate.
            Learn(value, Math.Max(Alpha, 1.0 / (_seen + 1)), Math.Max(SpreadAlpha, 1.0 / (_seen + 1)));
            _seen++;
        }

        return new AnomalyResult(shifted, Math.Max(_up, _down), expected);
    }

    private void Learn(double value, double levelWeight, double spreadWeight)
    {
        var difference = value - _mean;
        _mean += levelWeight * difference;
        _variance = ((1 - spreadWeight) * _variance) + (spreadWeight * (1 - levelWeight) * difference * difference);
    }

    /// <summary>The CUSUM decision limit for a confidence: about 6.3 at 95 %, 8 at 99 %, 10 at 99.9 %.</summary>
    private static double CusumLimit(double confidence) => 2 + (2.6 * NormalQuantile(confidence / 100));

    /// <summary>The standard normal quantile (Acklam's rational approximation, good to about 1e-9).</summary>
    internal static double NormalQuantile(double p)
    {
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;
        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return Poly(c, q) / ((Poly(d, q) * q) + 1);
        }

        if (p > 1 - low)
        {
            return -NormalQuantile(1 - p);
        }

        var r = p - 0.5;
        var s = r * r;
        return Poly(a, s) * r / ((Poly(b, s) * s) + 1);
    }

    /// <summary>Horner's evaluation of the polynomial whose coefficients come highest power first.</summary>
    private static double Poly(double[] coefficients, double x)
    {
        var result = 0.0;
        foreach (var coefficient in coefficients)
        {
            result = (result * x) + coefficient;
        }

        return result;
    }
}

/// <summary>What a detector made of a value.</summary>
/// <param name="Detected">Whether it is an anomaly.</param>
/// <param name="Score">Its distance from the level in standard deviations (spikes), or the CUSUM statistic (change points).</param>
/// <param name="Expected">The level the detector expected.</param>
internal readonly record struct AnomalyResult(bool Detected, double Score, double Expected);
